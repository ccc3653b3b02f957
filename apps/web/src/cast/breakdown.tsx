'use client';
import type { Database } from '@nozbe/watermelondb';
import {
  type ScriptCues,
  castIdsOf,
  castOfCharacters,
  charactersOfBoardScenes,
  compareKeys,
  deriveSceneNumbers,
} from '@clapper/domain';
import { type FormEvent, memo, useCallback, useMemo, useState } from 'react';
import { useTableRecords } from '../lib/use-records.ts';
import type { SceneRecord } from '../shotlist/records.ts';
import {
  type BreakdownCategory,
  type BreakdownItemRecord,
  addBreakdownItem,
  breakdownCategories,
  removeBreakdownItem,
} from './cast-actions.ts';

interface BreakdownProps {
  database: Database;
  readOnly: boolean;
  cues: ScriptCues | null;
}

const noCharacters: readonly string[] = [];
const noItems: readonly BreakdownItemRecord[] = [];

/**
 * The breakdown: every scene of the board with the characters the script gives it (and
 * the cast ids of the people playing them), plus the extras, props, wardrobe and vehicles
 * added by hand.
 */
export function Breakdown({ database, readOnly, cues }: BreakdownProps) {
  const scenes = useTableRecords(database, 'scenes');
  const items = useTableRecords(database, 'breakdown_items');
  const people = useTableRecords(database, 'people');
  const castings = useTableRecords(database, 'castings');
  const [error, setError] = useState<string | null>(null);
  const run = useCallback((work: Promise<unknown>) => {
    work
      .then(() => setError(null))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, []);

  // Board order, each scene with the number the board shows (N1–N3).
  const ordered = useMemo(() => {
    const sorted = scenes
      ? [...scenes].sort((a, b) => compareKeys(a.sortKey, b.sortKey) || (a.id < b.id ? -1 : 1))
      : [];
    const numbers = deriveSceneNumbers(sorted);
    return sorted.map((scene) => ({ ...scene, number: numbers.get(scene.id) ?? scene.number }));
  }, [scenes]);
  const charactersOf = useMemo(
    () => (cues && scenes ? charactersOfBoardScenes(cues.scenes, scenes) : new Map<string, readonly string[]>()),
    [cues, scenes],
  );
  const itemsOf = useMemo(() => {
    const map = new Map<string, BreakdownItemRecord[]>();
    for (const item of items ?? []) map.set(item.sceneId, [...(map.get(item.sceneId) ?? []), item]);
    for (const list of map.values()) {
      list.sort(
        (a, b) =>
          breakdownCategories.indexOf(a.category as BreakdownCategory) -
            breakdownCategories.indexOf(b.category as BreakdownCategory) ||
          a.name.localeCompare(b.name) ||
          (a.id < b.id ? -1 : 1),
      );
    }
    return map;
  }, [items]);

  if (!scenes || !items || !people || !castings) return <div className="breakdown muted">Loading…</div>;
  return (
    <div className="breakdown" data-testid="breakdown">
      <div className="strip-toolbar">
        <div className="strip-toolbar-title">
          <h2>Breakdown</h2>
          <span className="muted">{scenes.length} scenes · characters from the script, the rest added by hand</span>
        </div>
      </div>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {ordered.length === 0 && <p className="strip-empty">No scenes yet: build the shot list from the script first.</p>}
      {ordered.map((scene) => {
        const characters = charactersOf.get(scene.id) ?? noCharacters;
        const castIds = castIdsOf(castOfCharacters(characters, castings, people));
        return (
          <SceneBreakdown
            key={scene.id}
            database={database}
            scene={scene}
            characters={characters}
            castIds={castIds.join(', ')}
            items={itemsOf.get(scene.id) ?? noItems}
            readOnly={readOnly}
            run={run}
          />
        );
      })}
    </div>
  );
}

interface SceneBreakdownProps {
  database: Database;
  scene: SceneRecord;
  characters: readonly string[];
  castIds: string;
  items: readonly BreakdownItemRecord[];
  readOnly: boolean;
  run: (work: Promise<unknown>) => void;
}

const SceneBreakdown = memo(function SceneBreakdown({
  database,
  scene,
  characters,
  castIds,
  items,
  readOnly,
  run,
}: SceneBreakdownProps) {
  const [category, setCategory] = useState<BreakdownCategory>('props');
  const [name, setName] = useState('');
  const title = `${scene.number || '—'} ${scene.heading || 'Untitled scene'}`;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    run(addBreakdownItem(database, scene.id, category, name));
    setName('');
  };
  return (
    <section className="scene-breakdown" data-testid="scene-breakdown" aria-label={`Breakdown of scene ${title}`}>
      <h3>{title}</h3>
      <p className="breakdown-line" data-testid="scene-characters">
        <span className="breakdown-label">Characters</span>
        {characters.length > 0 ? characters.join(', ') : <span className="muted">none in the script</span>}
        {castIds && <span className="muted"> · cast {castIds}</span>}
      </p>
      <p className="breakdown-line" data-testid="scene-items">
        <span className="breakdown-label">Added</span>
        {items.length === 0 && <span className="muted">nothing yet</span>}
        {items.map((item) => (
          <span key={item.id} className="chip" data-category={item.category}>
            <span className="chip-category">{item.category}</span> {item.name}
            {!readOnly && (
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${item.name}`}
                onClick={() => run(removeBreakdownItem(database, item.id))}
              >
                ×
              </button>
            )}
          </span>
        ))}
      </p>
      {!readOnly && (
        <form className="breakdown-add" onSubmit={submit}>
          <select
            className="cell-select"
            aria-label="Category"
            value={category}
            onChange={(event) => setCategory(event.target.value as BreakdownCategory)}
          >
            {breakdownCategories.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
          <input
            className="cell-input"
            aria-label={`Add to scene ${title}`}
            placeholder="Umbrella, 20 commuters, police car…"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="btn btn-small">
            Add
          </button>
        </form>
      )}
    </section>
  );
});
