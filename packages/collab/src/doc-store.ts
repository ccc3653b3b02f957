import type { Pool } from '@clapper/db';
import * as Y from 'yjs';
import { type SnapshotMerger, mergeSnapshotParts } from './snapshot-merger.ts';

/** What a doc's rows hold right after loading or appending: the log's size drives compaction. */
export interface DocLogStats {
  rows: number;
  bytes: number;
}

export interface LoadedDoc {
  /** Snapshot first, then every log row: applying them in any order gives the same doc. */
  updates: Uint8Array[];
  log: DocLogStats;
  snapshotBytes: number;
}

interface PendingAppend {
  readonly docName: string;
  readonly update: Uint8Array;
  resolve(): void;
  reject(error: unknown): void;
}

export interface CompactionResult {
  mergedRows: number;
  /** Payload bytes of the log rows merged (and deleted). */
  mergedLogBytes: number;
  bytesBefore: number;
  bytesAfter: number;
}

/**
 * Raw-SQL persistence of Yjs docs: an append-only update log (`yjs_updates`) and one
 * compacted snapshot per doc (`yjs_snapshots`). Every query names its project.
 */
export class DocStore {
  /** Per project with a write in flight: the appends waiting for the next INSERT. */
  private readonly appendLanes = new Map<string, PendingAppend[]>();

  /** `merger` moves the CPU part of compaction off the event loop; without one it runs inline. */
  constructor(
    private readonly pool: Pool,
    private readonly merger: SnapshotMerger | null = null,
  ) {}

  async load(projectId: string, docName: string): Promise<LoadedDoc> {
    // One statement, so one MVCC snapshot: a compaction committing between reading the
    // snapshot and reading the log (on another instance) can't hide the rows it merged.
    // Every log row, not just seq > upto_seq: a row from another instance can commit
    // after a compaction that saw a higher seq (Y11).
    const result = await this.pool.query<{ is_log: boolean; data: Buffer }>(
      `SELECT false AS is_log, data, 0::bigint AS seq FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2
       UNION ALL
       SELECT true AS is_log, data, seq FROM yjs_updates WHERE project_id = $1 AND doc_name = $2
       ORDER BY is_log, seq`,
      [projectId, docName],
    );
    const updates: Uint8Array[] = [];
    let rows = 0;
    let bytes = 0;
    let snapshotBytes = 0;
    for (const row of result.rows) {
      updates.push(new Uint8Array(row.data));
      if (row.is_log) {
        rows += 1;
        bytes += row.data.length;
      } else {
        snapshotBytes = row.data.length;
      }
    }
    return { updates, log: { rows, bytes }, snapshotBytes };
  }

  /**
   * Stores one log row; resolves once it is committed. A project's appends share their
   * writes (Y6): while one INSERT of the project's rows is in flight, appends to any of its
   * docs wait here, without a pooled connection, and go into the next INSERT together (one
   * statement, one commit). So the Yjs writes of an instance hold at most one connection
   * per project however many of its docs are typed at once, where one per doc used to
   * crowd the pool (and the pushes waiting for it) whenever commits slowed down.
   */
  append(projectId: string, docName: string, update: Uint8Array): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry: PendingAppend = { docName, update, resolve, reject };
      const lane = this.appendLanes.get(projectId);
      if (lane) {
        lane.push(entry);
        return;
      }
      const fresh = [entry];
      this.appendLanes.set(projectId, fresh);
      void this.drainAppends(projectId, fresh);
    });
  }

  private async drainAppends(projectId: string, lane: PendingAppend[]): Promise<void> {
    try {
      while (lane.length > 0) {
        const batch = lane.splice(0);
        try {
          await this.insertRows(projectId, batch);
          for (const entry of batch) entry.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0]?.reject(error);
            continue;
          }
          // One row that can't be stored must not fail the other docs' rows: each alone.
          for (const entry of batch) {
            await this.insertRows(projectId, [entry]).then(entry.resolve, entry.reject);
          }
        }
      }
    } finally {
      this.appendLanes.delete(projectId);
    }
  }

  private async insertRows(projectId: string, rows: PendingAppend[]): Promise<void> {
    const values: unknown[] = [projectId, Date.now()];
    const tuples = rows.map((row) => {
      values.push(row.docName, Buffer.from(row.update.buffer, row.update.byteOffset, row.update.byteLength));
      return `($1, $${values.length - 1}, $${values.length}, $2)`;
    });
    await this.pool.query({
      // Named when alone (the common case): PostgreSQL parses and plans it once per connection.
      ...(rows.length === 1 ? { name: 'clapper-yjs-append' } : {}),
      text: `INSERT INTO yjs_updates (project_id, doc_name, data, created_at) VALUES ${tuples.join(', ')}`,
      values,
    });
  }

  /**
   * Merges the snapshot and every log row present into a new snapshot and deletes exactly
   * those rows, in one transaction. The snapshot row lock serializes compactions of one doc
   * across instances; appends never wait on it.
   */
  async compact(projectId: string, docName: string): Promise<CompactionResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO yjs_snapshots (project_id, doc_name, upto_seq, data, updated_at)
         VALUES ($1, $2, 0, $3, $4) ON CONFLICT (project_id, doc_name) DO NOTHING`,
        [projectId, docName, Buffer.from(Y.encodeStateAsUpdate(new Y.Doc())), Date.now()],
      );
      const snapshot = await client.query<{ data: Buffer; upto_seq: number }>(
        'SELECT data, upto_seq FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2 FOR UPDATE',
        [projectId, docName],
      );
      const log = await client.query<{ seq: number; data: Buffer }>(
        'SELECT seq, data FROM yjs_updates WHERE project_id = $1 AND doc_name = $2 ORDER BY seq',
        [projectId, docName],
      );
      const before = snapshot.rows[0]?.data ?? Buffer.alloc(0);
      let bytesBefore = before.length;
      if (log.rows.length === 0) {
        await client.query('COMMIT');
        return { mergedRows: 0, mergedLogBytes: 0, bytesBefore, bytesAfter: bytesBefore };
      }
      const parts: Uint8Array[] = before.length > 0 ? [new Uint8Array(before)] : [];
      let uptoSeq = snapshot.rows[0]?.upto_seq ?? 0;
      for (const row of log.rows) {
        parts.push(new Uint8Array(row.data));
        bytesBefore += row.data.length;
        uptoSeq = Math.max(uptoSeq, row.seq);
      }
      const merged = this.merger ? await this.merger.merge(parts) : mergeSnapshotParts(parts);
      await client.query(
        'UPDATE yjs_snapshots SET data = $3, upto_seq = $4, updated_at = $5 WHERE project_id = $1 AND doc_name = $2',
        [projectId, docName, Buffer.from(merged), uptoSeq, Date.now()],
      );
      await client.query(
        'DELETE FROM yjs_updates WHERE project_id = $1 AND doc_name = $2 AND seq = ANY($3::bigint[])',
        [projectId, docName, log.rows.map((row) => String(row.seq))],
      );
      await client.query('COMMIT');
      return {
        mergedRows: log.rows.length,
        mergedLogBytes: bytesBefore - before.length,
        bytesBefore,
        bytesAfter: merged.length,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Bytes a doc occupies in PostgreSQL (snapshot + log payloads). */
  async storedBytes(projectId: string, docName: string): Promise<{ snapshot: number; log: number; logRows: number }> {
    const result = await this.pool.query<{ snapshot: number | null; log: number | null; log_rows: number }>(
      `SELECT (SELECT octet_length(data) FROM yjs_snapshots WHERE project_id = $1 AND doc_name = $2)::bigint AS snapshot,
              (SELECT sum(octet_length(data)) FROM yjs_updates WHERE project_id = $1 AND doc_name = $2)::bigint AS log,
              (SELECT count(*) FROM yjs_updates WHERE project_id = $1 AND doc_name = $2)::bigint AS log_rows`,
      [projectId, docName],
    );
    const row = result.rows[0];
    return { snapshot: row?.snapshot ?? 0, log: row?.log ?? 0, logRows: row?.log_rows ?? 0 };
  }
}
