'use client';
import type { Database } from '@nozbe/watermelondb';
import { type StripRow, findOrphans, planReturnBanner, planReturnShot } from '@clapper/domain';
import { useMemo } from 'react';
import type { BannerRecord, SceneRecord, ShotRecord } from './records.ts';
import { applyStripMove } from './stripboard-actions.ts';

type Row = StripRow<SceneRecord, ShotRecord, BannerRecord>;

/**
 * Shots and day breaks whose scene was deleted on another device while they were added
 * or moved into it: off the board, never silently gone. One click puts each back.
 */
export function Orphans(props: {
  database: Database;
  rows: readonly Row[];
  scenes: readonly SceneRecord[];
  shots: readonly ShotRecord[];
  banners: readonly BannerRecord[];
  readOnly: boolean;
  run: (work: Promise<unknown>) => void;
}) {
  const { database, rows, scenes, shots, banners, readOnly, run } = props;
  // Every board render comes through here; the scan of every record only when they changed.
  const orphans = useMemo(() => findOrphans(scenes, shots, banners), [scenes, shots, banners]);
  if (orphans.shots.length + orphans.banners.length === 0) return null;
  return (
    <section className="orphans" aria-label="Items whose scene was deleted" data-testid="orphans">
      <h3>Their scene was deleted on another device</h3>
      {orphans.shots.map((shot) => (
        <div key={shot.id} className="orphan-row">
          <span className="shot-label">{shot.label || 'Shot'}</span>
          <span className="muted orphan-text">{shot.description || 'No description'}</span>
          {!readOnly && scenes.length > 0 && (
            <select
              aria-label={`Move shot ${shot.label} to scene`}
              value=""
              onChange={(event) => {
                const sceneId = event.target.value;
                if (sceneId) run(applyStripMove(database, planReturnShot(rows, shot.id, sceneId)));
              }}
            >
              <option value="">Move to scene…</option>
              {scenes.map((scene) => (
                <option key={scene.id} value={scene.id}>
                  {scene.number} {scene.heading}
                </option>
              ))}
            </select>
          )}
        </div>
      ))}
      {orphans.banners.map((banner) => (
        <div key={banner.id} className="orphan-row">
          <span className="banner-day">Day break</span>
          <span className="muted orphan-text">{banner.label || banner.date || 'Untitled'}</span>
          {!readOnly && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => run(applyStripMove(database, planReturnBanner(rows, banner.id)))}
            >
              Put back at the end
            </button>
          )}
        </div>
      ))}
    </section>
  );
}
