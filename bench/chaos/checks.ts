// What the chaos suite checks once everything is back. Each finding is a sentence naming
// the push, record, column or token; an empty list is a pass.
import pg from 'pg';
import * as Y from 'yjs';
import type { ChaosDevice, PushLedger, RawRecord } from './devices.ts';
import { type Typist, tokensIn } from './typists.ts';

export type ChaosFindings = string[];

const checkedTables = ['scenes', 'shots'] as const;
/** Columns the server sets itself, and WatermelonDB's bookkeeping: never taken from a push. */
const notFromClients = new Set(['id', 'project_id', 'created_at', 'updated_at', '_status', '_changed']);

type ServerState = Map<string, Map<string, RawRecord>>;

/** Same values in every client column (the server-managed ones are not in the local schema). */
export function sameRecord(local: RawRecord | undefined, remote: RawRecord): boolean {
  if (!local) return false;
  return Object.keys(remote).every(
    (key) => (notFromClients.has(key) && key !== 'id') || JSON.stringify(local[key]) === JSON.stringify(remote[key]),
  );
}

/** Push ids the server applied (with their stamps) and every Yjs doc as stored, read from PostgreSQL itself. */
export async function readStored(databaseUrl: string, projectId: string) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const pushes = await pool.query<{ push_id: string; timestamp: string }>(
      'SELECT push_id, timestamp::text FROM applied_pushes WHERE project_id = $1',
      [projectId],
    );
    // In the order the server loads a doc (DocStore.load): the snapshot, then the log by seq.
    const rows = await pool.query<{ doc_name: string; data: Buffer; seq: string }>(
      `SELECT doc_name, data, seq FROM (
         SELECT doc_name, data, 0::bigint AS seq FROM yjs_snapshots WHERE project_id = $1
         UNION ALL SELECT doc_name, data, seq FROM yjs_updates WHERE project_id = $1) stored
       ORDER BY doc_name, seq`,
      [projectId],
    );
    const docs = new Map<string, Y.Doc>();
    for (const row of rows.rows) {
      const doc = docs.get(row.doc_name) ?? new Y.Doc();
      docs.set(row.doc_name, doc);
      Y.applyUpdate(doc, new Uint8Array(row.data));
    }
    return {
      appliedPushes: new Map(pushes.rows.map((row) => [row.push_id, Number(row.timestamp)])),
      docs: new Map([...docs].map(([name, doc]) => [name, doc.getText('t').toString()])),
      /** Per doc, the edits stored rows build on but no row holds ('' when none). */
      gaps: new Map(
        [...docs].map(([name, doc]) => {
          const { pendingStructs, pendingDs } = doc.store;
          const missing = pendingStructs
            ? [...pendingStructs.missing].map(([client, clock]) => `${client}@${clock}`)
            : [];
          return [name, `${missing.join(' ')}${pendingDs ? ' (deletions)' : ''}`];
        }),
      ),
    };
  } finally {
    await pool.end();
  }
}

/**
 * Structured sync:
 * - every acknowledged push was applied, under the timestamp it was acknowledged with (a
 *   retry is answered with the first application's stamp, never applied again);
 * - every column holds the value of the last applied push that wrote it (pushes stamped
 *   alike commit in one transaction, in an order not seen from outside: any of theirs). A
 *   retry applied twice would overwrite a later push and fail this;
 * - a deleted record stays deleted; nothing is there that no push wrote;
 * - every device's local data, reached by incremental pulls, equals a fresh full pull.
 */
export async function checkRecords(input: {
  ledger: PushLedger;
  server: ServerState;
  devices: ChaosDevice[];
  appliedPushes: Map<string, number>;
}): Promise<ChaosFindings> {
  const { ledger, server, devices, appliedPushes } = input;
  const findings: ChaosFindings = [];
  for (const [pushId, timestamp] of ledger.acked) {
    const applied = appliedPushes.get(pushId);
    if (applied === undefined) findings.push(`acknowledged push ${pushId} (stamp ${timestamp}) was never applied`);
    else if (applied !== timestamp)
      findings.push(`push ${pushId} was acknowledged with stamp ${timestamp} but applied at ${applied}`);
  }
  for (const pushId of appliedPushes.keys()) {
    if (!ledger.sent.has(pushId)) findings.push(`the server applied push ${pushId}, which no device sent`);
  }

  // (table, id) -> column -> the latest writes (all of the highest stamp).
  const writes = new Map<string, Map<string, { timestamp: number; values: unknown[] }>>();
  const deleted = new Set<string>();
  const firstWrite = new Map<string, number>();
  const creates: { key: string; timestamp: number; write: () => void }[] = [];
  for (const [pushId, { changes }] of ledger.sent) {
    const timestamp = appliedPushes.get(pushId);
    if (timestamp === undefined) continue;
    for (const table of checkedTables) {
      const tableChanges = changes[table];
      if (!tableChanges) continue;
      const write = (raw: RawRecord, columns: string[]) => {
        const key = `${table}/${raw.id}`;
        const record = writes.get(key) ?? new Map();
        writes.set(key, record);
        for (const column of columns) {
          if (notFromClients.has(column)) continue;
          const latest = record.get(column);
          if (!latest || timestamp > latest.timestamp) record.set(column, { timestamp, values: [raw[column]] });
          else if (timestamp === latest.timestamp) latest.values.push(raw[column]);
        }
      };
      // A created record inserts every column; one whose id exists changes its _changed
      // columns only (U2). The insert is the record's first applied write (see below).
      for (const raw of tableChanges.created) {
        const key = `${table}/${raw.id}`;
        const first = firstWrite.get(key);
        if (first === undefined || timestamp < first) firstWrite.set(key, timestamp);
        const changed = typeof raw._changed === 'string' ? raw._changed.split(',').filter(Boolean) : null;
        write(raw, changed ?? Object.keys(raw));
        creates.push({ key, timestamp, write: () => write(raw, Object.keys(raw)) });
      }
      for (const raw of tableChanges.updated) {
        const key = `${table}/${raw.id}`;
        const first = firstWrite.get(key);
        if (first === undefined || timestamp < first) firstWrite.set(key, timestamp);
        const changed = typeof raw._changed === 'string' && raw._changed !== '' ? raw._changed.split(',') : null;
        write(raw, changed ?? Object.keys(raw));
      }
      for (const id of tableChanges.deleted) deleted.add(`${table}/${id}`);
    }
  }
  for (const { key, timestamp, write } of creates) if (firstWrite.get(key) === timestamp) write();
  for (const table of checkedTables) {
    const records = server.get(table) ?? new Map<string, RawRecord>();
    for (const [id, raw] of records) {
      const key = `${table}/${id}`;
      if (deleted.has(key)) findings.push(`${key} was deleted by an applied push but is back`);
      const written = writes.get(key);
      if (!written) {
        findings.push(`${key} is on the server but no applied push wrote it`);
        continue;
      }
      for (const [column, { timestamp, values }] of written) {
        if (!values.some((value) => JSON.stringify(value) === JSON.stringify(raw[column]))) {
          findings.push(
            `${key}.${column} is ${JSON.stringify(raw[column])}, but the last push that wrote it (stamp ${timestamp}) wrote ${values.map((v) => JSON.stringify(v)).join(' or ')}`,
          );
        }
      }
    }
    for (const key of writes.keys()) {
      const [keyTable, id] = key.split('/') as [string, string];
      if (keyTable === table && !deleted.has(key) && !records.has(id))
        findings.push(`${key} was written by an applied push but is missing`);
    }
  }

  for (const device of devices) {
    for (const table of checkedTables) {
      const local = await device.records(table);
      const remote = server.get(table) ?? new Map<string, RawRecord>();
      for (const [id, raw] of remote) {
        if (!sameRecord(local.get(id), raw))
          findings.push(
            `${device.name}'s ${table}/${id} differs from a fresh full pull: ${JSON.stringify(local.get(id))} there, ${JSON.stringify(raw)} on the server`,
          );
      }
      for (const id of local.keys()) {
        if (!remote.has(id)) findings.push(`${device.name} still has ${table}/${id}, which a fresh full pull lacks`);
      }
    }
  }
  return findings;
}

/**
 * Yjs: the clients of each doc show the same text, the stored doc is that text, and every
 * token typed (so every token another client saw) is in it exactly once.
 */
export function checkTypists(typists: Typist[], storedDocs: Map<string, string>): ChaosFindings {
  const findings: ChaosFindings = [];
  const docNames = new Set(typists.map((typist) => typist.docName));
  for (const docName of docNames) {
    const clients = typists.filter((typist) => typist.docName === docName);
    const stored = storedDocs.get(docName) ?? '';
    for (const client of clients) {
      if (client.text !== stored) findings.push(`${client.name}'s ${docName} differs from the stored doc`);
    }
    const counts = new Map<string, number>();
    for (const token of tokensIn(stored)) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const client of clients) {
      const wrong = client.typed.filter((token) => counts.get(token) !== 1);
      if (wrong.length > 0)
        findings.push(
          `${wrong.length} of the ${client.typed.length} tokens ${client.name} typed are not in the stored ${docName} exactly once (${wrong.slice(0, 5).join(' ')}${wrong.length > 5 ? ' …' : ''}; stored ${tokensIn(stored).length} tokens, the client shows ${tokensIn(client.text).length})`,
        );
      const lost = [...client.seenFromOthers].filter((token) => !counts.has(token));
      if (lost.length > 0)
        findings.push(
          `${lost.length} tokens ${client.name} saw are lost from ${docName} (${lost.slice(0, 5).join(' ')})`,
        );
    }
  }
  return findings;
}
