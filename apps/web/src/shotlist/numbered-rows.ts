import { type NumberedScene, deriveSceneNumbers, isNumberLocked } from '@clapper/domain';
import type { SceneRecord } from './records.ts';
import type { Row } from './strip-rows.tsx';

/**
 * How a scene's number stands (packages/domain/SPEC.md N1–N3): `board` while no number is
 * locked (the board numbers every scene), `locked` for a scene showing its locked number,
 * `provisional` for a scene added or moved since, whose letter-suffixed number is fixed
 * by the next lock.
 */
export type NumberState = 'board' | 'locked' | 'provisional';

export interface NumberedRows {
  /** The board with every scene's shown number in `number`, so everything downstream (rows, shot labels, reports) reads one number. */
  rows: Row[];
  /** Shown number by scene id. */
  numbers: ReadonlyMap<string, string>;
  stateOf: ReadonlyMap<string, NumberState>;
  /** The scenes as stored, in board order (what locking reads). */
  stored: readonly NumberedScene[];
}

// The numbered copy of each record snapshot, so a scene whose record and number are
// unchanged keeps its identity and its memoized row skips re-rendering.
const numberedCopies = new WeakMap<SceneRecord, SceneRecord>();

/** `scene` showing `number`: the record itself when that is its stored number, else one copy per record and number. */
export function numberedScene(scene: SceneRecord, number: string): SceneRecord {
  if (scene.number === number) return scene;
  const cached = numberedCopies.get(scene);
  if (cached?.number === number) return cached;
  const copy = { ...scene, number };
  numberedCopies.set(scene, copy);
  return copy;
}

export function withSceneNumbers(ordered: readonly Row[]): NumberedRows {
  const stored = ordered.flatMap((row) => (row.kind === 'scene' ? [row.scene] : []));
  const numbers = deriveSceneNumbers(stored);
  const anyLocked = stored.some((scene) => isNumberLocked(scene, numbers));
  const stateOf = new Map<string, NumberState>(
    stored.map((scene) => [scene.id, !anyLocked ? 'board' : isNumberLocked(scene, numbers) ? 'locked' : 'provisional']),
  );
  const rows = ordered.map((row) =>
    row.kind === 'scene' ? { ...row, scene: numberedScene(row.scene, numbers.get(row.id) ?? '') } : row,
  );
  return { rows, numbers, stateOf, stored };
}
