/**
 * Who is in a scene: the characters the script gives it, joined through castings
 * (person ↔ character) to the people playing them. Cast ids are the people's cast numbers
 * (1 = lead), the numbers a stripboard and a call sheet print.
 */
export interface CastPerson {
  readonly id: string;
  readonly name: string;
  /** The cast id; null for someone not numbered on the cast list. */
  readonly castNumber: number | null;
}

export interface Casting {
  readonly personId: string;
  /** The character's name as cues fold it (upper case, no extensions). */
  readonly character: string;
}

export interface CastMember<P extends CastPerson = CastPerson> {
  readonly person: P;
  /** The characters this person plays in the scenes asked about, in name order. */
  readonly characters: readonly string[];
}

function foldName(name: string): string {
  return name.trim().toUpperCase();
}

/** Cast first by cast id, then the un-numbered by name; ties by id so every device agrees. */
export function compareCast(a: CastPerson, b: CastPerson): number {
  const an = a.castNumber ?? Number.POSITIVE_INFINITY;
  const bn = b.castNumber ?? Number.POSITIVE_INFINITY;
  if (an !== bn) return an < bn ? -1 : 1;
  return a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The people who play any of `characters`, in cast order; a character nobody plays adds no one. */
export function castOfCharacters<P extends CastPerson>(
  characters: Iterable<string>,
  castings: readonly Casting[],
  people: readonly P[],
): CastMember<P>[] {
  const wanted = new Set<string>();
  for (const character of characters) wanted.add(foldName(character));
  const byId = new Map(people.map((person) => [person.id, person]));
  const playing = new Map<string, Set<string>>();
  for (const casting of castings) {
    const character = foldName(casting.character);
    if (!wanted.has(character) || !byId.has(casting.personId)) continue;
    const set = playing.get(casting.personId) ?? new Set<string>();
    set.add(character);
    playing.set(casting.personId, set);
  }
  return [...playing]
    .map(([personId, characterSet]) => ({
      person: byId.get(personId) as P,
      characters: [...characterSet].sort(),
    }))
    .sort((a, b) => compareCast(a.person, b.person));
}

/** The cast ids of the people in `members`, ascending, each once; the un-numbered print none. */
export function castIdsOf(members: readonly CastMember[]): number[] {
  const ids = new Set<number>();
  for (const { person } of members) if (person.castNumber !== null) ids.add(person.castNumber);
  return [...ids].sort((a, b) => a - b);
}
