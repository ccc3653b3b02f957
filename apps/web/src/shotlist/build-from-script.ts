'use client';
import type { Database, Model } from '@nozbe/watermelondb';
import { createCollabProvider, readScript, scriptDocName } from '@clapper/collab/client';
import { planScenesFromScript } from '@clapper/domain';
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
}

/** How long to wait for the server's copy before reading the local one (offline). */
const serverWaitMs = 5_000;

async function readHeadings(source: ScriptSource): Promise<string[]> {
  const provider = createCollabProvider({
    serverUrl: source.serverUrl,
    token: source.token,
    docName: scriptDocName(source.projectId, source.scriptId),
  });
  try {
    await Promise.race([provider.whenSynced(), new Promise((resolve) => setTimeout(resolve, serverWaitMs))]);
    return readScript(provider.doc).sceneHeadings;
  } finally {
    provider.destroy();
  }
}

/**
 * Scenes for every scene heading of the script that has none yet, created in one
 * write (so one push); existing scenes are never changed or deleted.
 */
export async function buildScenesFromScript(
  database: Database,
  source: ScriptSource,
  scenes: readonly SceneRecord[],
  afterKey: string | null,
): Promise<BuildResult> {
  const headings = await readHeadings(source);
  const plan = planScenesFromScript(headings, scenes, afterKey);
  if (plan.create.length > 0) {
    await database.write(async () => {
      const collection = database.get('scenes');
      const prepared: Model[] = plan.create.map((scene) =>
        collection.prepareCreate((record) => {
          Object.assign(record, { ...scene, synopsis: '', pageEighths: null });
        }),
      );
      await database.batch(prepared);
    });
  }
  return { headings: headings.length, created: plan.create.length };
}
