'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import { createCollabProvider, readScript, scriptDocName } from '@clapper/collab/client';
import { type ScriptScene, planScenesFromScript, scenesFromScript } from '@clapper/domain';
import type { RecordPatch, RecordValues } from '@clapper/schema';
import { localDocStoreNameFor } from '../lib/local-data.ts';
import type { SceneRecord } from './records.ts';

export interface ScriptSource {
  serverUrl: string;
  token: string;
  projectId: string;
  scriptId: string;
}

export interface BuildResult {
  headings: number;
  created: number;
  /** Scenes already on the board whose length in the script changed. */
  updated: number;
}

/** How long to wait for the server's copy before reading the local one (offline). */
const serverWaitMs = 5_000;

async function readScenes(source: ScriptSource): Promise<ScriptScene[]> {
  const provider = createCollabProvider({
    serverUrl: source.serverUrl,
    token: source.token,
    docName: scriptDocName(source.projectId, source.scriptId),
    // The signed-in user's own offline copy of the script, if they have one.
    localStoreName: localDocStoreNameFor(source.token, scriptDocName(source.projectId, source.scriptId)),
  });
  try {
    await Promise.race([provider.whenSynced(), new Promise((resolve) => setTimeout(resolve, serverWaitMs))]);
    // Headings and lengths from the same pagination the PDF export prints.
    return scenesFromScript(readScript(provider.doc).elements);
  } finally {
    provider.destroy();
  }
}

/**
 * Scenes for every scene heading of the script that has none yet, with their length in
 * eighths of a page, and the new length of scenes already there whose length changed —
 * all in one write (so one push); nothing else of an existing scene changes, and
 * nothing is deleted.
 */
export async function buildScenesFromScript(
  database: Database,
  source: ScriptSource,
  scenes: readonly SceneRecord[],
  afterKey: string | null,
): Promise<BuildResult> {
  const script = await readScenes(source);
  const plan = planScenesFromScript(script, scenes, afterKey);
  if (plan.create.length > 0 || plan.updateEighths.length > 0) {
    await database.write(async () => {
      const collection = database.get('scenes');
      const prepared: Model[] = plan.create.map((scene) =>
        collection.prepareCreate((record) => {
          const values: RecordValues<'scenes'> = { ...scene, synopsis: '' };
          Object.assign(record, values);
        }),
      );
      for (const { id, pageEighths } of plan.updateEighths) {
        const record = await collection.find(id);
        const patch: RecordPatch<'scenes'> = { pageEighths };
        prepared.push(record.prepareUpdate((draft) => Object.assign(draft, patch)));
      }
      await database.batch(prepared);
    });
  }
  return { headings: script.length, created: plan.create.length, updated: plan.updateEighths.length };
}
