'use client';
import type { Database } from '@nozbe/watermelondb';
import { type CastMember, type ScriptCues, castOfCharacters, charactersOfBoardScenes } from '@clapper/domain';
import { useMemo } from 'react';
import { useTableRecords } from '../lib/use-records.ts';

const noCast: ReadonlyMap<string, readonly CastMember[]> = new Map();

/**
 * Each board scene's cast (by scene id): the characters the script gives the scene (CH4),
 * joined through castings to the people playing them (CS2), live from the local database
 * and the script. Every scene linked to one of the script's has an entry (empty when nobody
 * in it is cast); the others have none.
 */
export function useSceneCast(database: Database, cues: ScriptCues | null): ReadonlyMap<string, readonly CastMember[]> {
  const scenes = useTableRecords(database, 'scenes');
  const people = useTableRecords(database, 'people');
  const castings = useTableRecords(database, 'castings');
  return useMemo(() => {
    if (!cues || !scenes || !people || !castings) return noCast;
    const cast = new Map<string, readonly CastMember[]>();
    for (const [sceneId, characters] of charactersOfBoardScenes(cues.scenes, scenes)) {
      cast.set(sceneId, castOfCharacters(characters, castings, people));
    }
    return cast;
  }, [cues, scenes, people, castings]);
}
