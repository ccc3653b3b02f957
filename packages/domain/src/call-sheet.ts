/**
 * What a call sheet derives from the board: its day among the schedule's days, the day's
 * scenes with their pages and cast ids, the total, the cast working, and the advance
 * schedule (the next day's scenes). The typed parts (calls, locations, notes) are synced
 * records the app lays beside this; `castCallLines` and `crewCallsByDepartment` join them.
 */
import { type CastMember, type CastPerson, type Casting, castIdsOf, compareCast } from './scene-cast.ts';
import { type ReportScene, type SceneLine, sceneLineOf } from './scene-line.ts';
import type { StripBanner, StripShot } from './shooting-days.ts';
import type { ScheduleDay } from './shooting-schedule.ts';

/** The day-break columns a call sheet reads. */
export interface ReportBanner extends StripBanner {
  readonly date: string;
  readonly label: string;
}

export type ReportSchedule<T extends StripShot = StripShot> = readonly ScheduleDay<ReportScene, T, ReportBanner>[];

export interface CallSheetDay {
  readonly number: number;
  /** The day break that starts the day; null for a Day 1 above every break. */
  readonly bannerId: string | null;
  readonly date: string;
  readonly label: string;
  readonly scenes: readonly SceneLine[];
  /** The day's pages in eighths. */
  readonly eighths: number;
}

export interface CallSheetContent<P extends CastPerson = CastPerson> {
  readonly day: CallSheetDay;
  /** "Day 3 of `dayCount`". */
  readonly dayCount: number;
  /** Everyone playing a character in the day's scenes, in cast order. */
  readonly cast: readonly CastMember<P>[];
  /** The next day's scenes; null on the last day. */
  readonly advance: CallSheetDay | null;
}

export function callSheetDayOf<P extends CastPerson>(
  day: ScheduleDay<ReportScene, StripShot, ReportBanner>,
  cast: ReadonlyMap<string, readonly CastMember<P>[]>,
): CallSheetDay {
  return {
    number: day.number,
    bannerId: day.banner?.id ?? null,
    date: day.banner?.date ?? '',
    label: day.banner?.label ?? '',
    scenes: day.scenes.map((scheduled) => sceneLineOf(scheduled, castIdsOf(cast.get(scheduled.scene.id) ?? []))),
    eighths: day.eighths,
  };
}

/**
 * The call sheet of the day that `bannerId` starts (null: the Day 1 above every break);
 * null when the board has no such day.
 */
export function deriveCallSheet<P extends CastPerson>(
  schedule: ReportSchedule,
  bannerId: string | null,
  cast: ReadonlyMap<string, readonly CastMember<P>[]>,
): CallSheetContent<P> | null {
  const index = schedule.findIndex((day) => (day.banner?.id ?? null) === bannerId);
  const day = schedule[index];
  if (!day) return null;
  const next = schedule[index + 1];
  const working = new Map<string, { person: P; characters: Set<string> }>();
  for (const { scene } of day.scenes) {
    for (const member of cast.get(scene.id) ?? []) {
      const entry = working.get(member.person.id) ?? { person: member.person, characters: new Set<string>() };
      for (const character of member.characters) entry.characters.add(character);
      working.set(member.person.id, entry);
    }
  }
  const order = [...working.values()]
    .map(({ person, characters }) => ({ person, characters: [...characters].sort() }))
    .sort((a, b) => compareCast(a.person, b.person));
  return {
    day: callSheetDayOf(day, cast),
    dayCount: schedule.length,
    cast: order,
    advance: next ? callSheetDayOf(next, cast) : null,
  };
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A cast member's typed calls on one sheet (the synced `cast_calls` columns). */
export interface CastCallFields {
  readonly id: string;
  readonly personId: string;
  readonly pickup: string;
  readonly makeup: string;
  readonly onSet: string;
  readonly notes: string;
}

export interface CastCallLine<P extends CastPerson, C extends CastCallFields> {
  readonly person: P;
  readonly characters: readonly string[];
  /** The typed calls; null until someone types one. */
  readonly call: C | null;
  /** False for a call typed for someone the day's scenes no longer need: shown, never dropped. */
  readonly working: boolean;
}

/** The cast lines of a sheet: the working cast in cast order, then calls typed for anyone else. */
export function castCallLines<P extends CastPerson, C extends CastCallFields>(
  cast: readonly CastMember<P>[],
  calls: readonly C[],
  people: readonly P[],
): CastCallLine<P, C>[] {
  const callOf = new Map<string, C>();
  for (const call of [...calls].sort((a, b) => compareIds(a.id, b.id)))
    if (!callOf.has(call.personId)) callOf.set(call.personId, call);
  const lines: CastCallLine<P, C>[] = cast.map((member) => ({
    person: member.person,
    characters: member.characters,
    call: callOf.get(member.person.id) ?? null,
    working: true,
  }));
  const listed = new Set(lines.map((line) => line.person.id));
  const byId = new Map(people.map((person) => [person.id, person]));
  const extra: CastCallLine<P, C>[] = [];
  for (const [personId, call] of callOf) {
    const person = byId.get(personId);
    if (person && !listed.has(personId)) extra.push({ person, characters: [], call, working: false });
  }
  return [...lines, ...extra.sort((a, b) => compareCast(a.person, b.person))];
}

/** Someone's typed call on one sheet (the synced `crew_calls` columns). */
export interface CrewCallFields {
  readonly id: string;
  readonly personId: string;
  readonly call: string;
  readonly notes: string;
}

export interface CrewPerson extends CastPerson {
  readonly department: string;
  readonly role: string;
}

export interface CrewDepartment<P extends CrewPerson, C extends CrewCallFields> {
  /** The department's name as people typed it; '' for those without one. */
  readonly department: string;
  readonly lines: readonly { readonly person: P; readonly call: C | null }[];
}

/** The order departments run down a call sheet; others follow alphabetically, then those with none. */
export const departmentOrder = [
  'production',
  'direction',
  'camera',
  'grip',
  'electric',
  'sound',
  'art',
  'props',
  'set decoration',
  'wardrobe',
  'costume',
  'hair & makeup',
  'makeup',
  'locations',
  'transport',
  'catering',
] as const;

function departmentRank(department: string): number {
  const index = (departmentOrder as readonly string[]).indexOf(department.trim().toLowerCase());
  return index < 0 ? (department.trim() === '' ? departmentOrder.length + 1 : departmentOrder.length) : index;
}

/**
 * The crew calls of a sheet by department: everyone who is not cast (no cast id, plays no
 * character), each with their typed call if any (an empty call means the general crew call).
 */
export function crewCallsByDepartment<P extends CrewPerson, C extends CrewCallFields>(
  people: readonly P[],
  castings: readonly Casting[],
  calls: readonly C[],
): CrewDepartment<P, C>[] {
  const cast = new Set(castings.map((casting) => casting.personId));
  const callOf = new Map<string, C>();
  for (const call of [...calls].sort((a, b) => compareIds(a.id, b.id)))
    if (!callOf.has(call.personId)) callOf.set(call.personId, call);
  const departments = new Map<string, { department: string; lines: { person: P; call: C | null }[] }>();
  for (const person of people) {
    if (person.castNumber !== null || cast.has(person.id)) continue;
    const department = person.department.trim();
    const key = department.toLowerCase();
    const entry = departments.get(key) ?? { department, lines: [] };
    entry.lines.push({ person, call: callOf.get(person.id) ?? null });
    departments.set(key, entry);
  }
  return [...departments.values()]
    .sort(
      (a, b) =>
        departmentRank(a.department) - departmentRank(b.department) ||
        a.department.toLowerCase().localeCompare(b.department.toLowerCase()),
    )
    .map(({ department, lines }) => ({
      department,
      lines: lines.sort((a, b) => a.person.name.localeCompare(b.person.name) || compareIds(a.person.id, b.person.id)),
    }));
}
