'use client';
import type { Database } from '@nozbe/watermelondb';
import { type ScriptCues, compareCast, scriptCharacters } from '@clapper/domain';
import { type KeyboardEvent, type ReactNode, memo, useCallback, useMemo, useState } from 'react';
import { OwnForm } from '../components/own-form.tsx';
import { useTableRecords } from '../lib/use-records.ts';
import { EditableText } from '../shotlist/editable-field.tsx';
import { updateRecord } from '../shotlist/stripboard-actions.ts';
import {
  type CastingRecord,
  type PersonRecord,
  addCasting,
  addPerson,
  departments,
  castNumberProblem,
  parseCastNumber,
  removeCasting,
  removePerson,
} from './cast-actions.ts';

interface CastCrewProps {
  database: Database;
  readOnly: boolean;
  /** The script's cues, live (null while the script loads). */
  cues: ScriptCues | null;
}

function matchesSearch(person: PersonRecord, characters: readonly string[], query: string): boolean {
  if (query === '') return true;
  const haystack = [
    person.name,
    person.department,
    person.role,
    person.email,
    person.phone,
    person.notes,
    person.castNumber === null ? '' : String(person.castNumber),
    ...characters,
  ]
    .join('\n')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

/** The Cast & crew view: everyone on the production, and who plays whom in the script. */
export function CastCrew({ database, readOnly, cues }: CastCrewProps) {
  const people = useTableRecords(database, 'people');
  const castings = useTableRecords(database, 'castings');
  const characters = useMemo(() => (cues ? scriptCharacters(cues) : []), [cues]);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = useCallback((work: () => Promise<unknown>) => {
    let started: Promise<unknown>;
    try {
      started = work();
    } catch (failure) {
      started = Promise.reject(failure);
    }
    started
      .then(() => setError(null))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, []);

  const charactersOf = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const casting of castings ?? []) {
      const list = map.get(casting.personId) ?? [];
      if (!list.includes(casting.character)) list.push(casting.character);
      map.set(casting.personId, list);
    }
    for (const list of map.values()) list.sort();
    return map;
  }, [castings]);

  if (!people || !castings) return <div className="cast-crew muted">Loading…</div>;
  const sorted = [...people].sort(compareCast);
  const shown = sorted.filter((person) => matchesSearch(person, charactersOf.get(person.id) ?? [], query.trim()));
  const playersOf = (character: string) =>
    sorted.filter((person) => (charactersOf.get(person.id) ?? []).includes(character));
  const inScript = new Set(characters.map((c) => c.name));
  // Characters someone plays that the script has no cue for (yet); a casting whose person
  // was removed on another device names nobody and is not shown.
  const present = new Set(people.map((person) => person.id));
  const castOnly = [...new Set(castings.filter((c) => present.has(c.personId)).map((c) => c.character))]
    .filter((name) => !inScript.has(name))
    .sort();

  return (
    <div className="cast-crew" data-testid="cast-crew">
      <div className="strip-toolbar">
        <div className="strip-toolbar-title">
          <h2>Cast &amp; crew</h2>
          <span className="muted">
            {people.length === 1 ? '1 person' : `${people.length} people`} · {characters.length} characters in the
            script
          </span>
        </div>
        <div className="strip-toolbar-actions">
          <OwnForm>
            <input
              type="search"
              className="search-input"
              placeholder="Search people"
              aria-label="Search people"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          </OwnForm>
          {!readOnly && (
            <button type="button" className="btn btn-primary" onClick={() => run(() => addPerson(database))}>
              + Person
            </button>
          )}
        </div>
      </div>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      <datalist id="cast-departments">
        {departments.map((department) => (
          <option key={department} value={department} />
        ))}
      </datalist>
      <datalist id="script-characters">
        {characters.map((character) => (
          <option key={character.name} value={character.name} />
        ))}
      </datalist>
      <table className="people-table">
        <thead>
          <tr>
            <th className="col-cast-number">Cast #</th>
            <th>Name</th>
            <th>Department</th>
            <th>Role / job</th>
            <th>Email</th>
            <th>Phone</th>
            <th>Plays</th>
            <th>Notes</th>
            <th aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {shown.map((person) => (
            <PersonRow
              key={person.id}
              database={database}
              person={person}
              plays={charactersOf.get(person.id) ?? emptyList}
              castings={castings}
              readOnly={readOnly}
              run={run}
            />
          ))}
        </tbody>
      </table>
      {people.length === 0 && (
        <p className="strip-empty">
          Nobody yet.{' '}
          {!readOnly && (
            <button type="button" className="btn-link" onClick={() => run(() => addPerson(database))}>
              Add the first person
            </button>
          )}
        </p>
      )}
      {people.length > 0 && shown.length === 0 && <p className="muted">Nobody matches “{query}”.</p>}

      <h3 className="section-title">Characters</h3>
      <table className="characters-table" data-testid="characters">
        <thead>
          <tr>
            <th>Character</th>
            <th>Scenes</th>
            <th>Played by</th>
          </tr>
        </thead>
        <tbody>
          {characters.map((character) => (
            <tr key={character.name} data-testid="character-row">
              <td className="character-name">{character.name}</td>
              <td>{character.scenes}</td>
              <td>
                {playersOf(character.name)
                  .map((p) => p.name || 'Unnamed')
                  .join(', ') || '—'}
              </td>
            </tr>
          ))}
          {castOnly.map((name) => (
            <tr key={name} data-testid="character-row">
              <td className="character-name">{name}</td>
              <td className="muted">not in the script</td>
              <td>
                {playersOf(name)
                  .map((p) => p.name || 'Unnamed')
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {characters.length === 0 && castOnly.length === 0 && (
        <p className="muted">{cues ? 'No character cues in the script yet.' : 'Reading the script…'}</p>
      )}
    </div>
  );
}

const emptyList: readonly string[] = [];

interface PersonRowProps {
  database: Database;
  person: PersonRecord;
  plays: readonly string[];
  castings: readonly CastingRecord[];
  readOnly: boolean;
  run: (work: () => Promise<unknown>) => void;
}

/** A cell whose controls are a form of their own (own-form.tsx): a keystroke costs this cell. */
function FieldCell({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <td className={className}>
      <OwnForm>{children}</OwnForm>
    </td>
  );
}

const PersonRow = memo(function PersonRow({ database, person, plays, castings, readOnly, run }: PersonRowProps) {
  const who = person.name || 'new person';
  const set = (patch: Parameters<typeof updateRecord<'people'>>[3]) =>
    run(() => updateRecord(database, 'people', person.id, patch));
  const text = (column: 'name' | 'department' | 'role' | 'email' | 'phone' | 'notes', label: string) => (
    <EditableText
      value={person[column]}
      label={label}
      readOnly={readOnly}
      placeholder={label}
      onCommit={(value) => set({ [column]: value.trim() })}
    />
  );
  const [character, setCharacter] = useState('');
  const addCharacter = () => {
    const name = character;
    setCharacter('');
    run(() => addCasting(database, castings, person.id, name));
  };
  return (
    <tr data-testid="person-row" data-person-id={person.id}>
      <FieldCell className="col-cast-number">
        <EditableText
          value={person.castNumber === null ? '' : String(person.castNumber)}
          label="Cast #"
          readOnly={readOnly}
          inputMode="numeric"
          validate={castNumberProblem}
          onCommit={(value) => set({ castNumber: parseCastNumber(value) })}
        />
      </FieldCell>
      <FieldCell>{text('name', 'Name')}</FieldCell>
      <FieldCell>
        <EditableText
          value={person.department}
          label="Department"
          readOnly={readOnly}
          placeholder="Department"
          list="cast-departments"
          onCommit={(value) => set({ department: value.trim() })}
        />
      </FieldCell>
      <FieldCell>{text('role', 'Role / job')}</FieldCell>
      <FieldCell>{text('email', 'Email')}</FieldCell>
      <FieldCell>{text('phone', 'Phone')}</FieldCell>
      <FieldCell className="plays">
        {plays.map((name) => (
          <span key={name} className="chip">
            {name}
            {!readOnly && (
              <button
                type="button"
                className="chip-remove"
                aria-label={`${who} no longer plays ${name}`}
                onClick={() => run(() => removeCasting(database, castings, person.id, name))}
              >
                ×
              </button>
            )}
          </span>
        ))}
        {!readOnly && (
          <input
            className="cell-input add-character"
            aria-label={`Add a character ${who} plays`}
            placeholder="+ character"
            list="script-characters"
            value={character}
            onChange={(event) => setCharacter(event.target.value)}
            onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
              if (event.key === 'Enter') addCharacter();
            }}
            onBlur={() => character.trim() && addCharacter()}
          />
        )}
      </FieldCell>
      <FieldCell>{text('notes', 'Notes')}</FieldCell>
      <FieldCell>
        {!readOnly && (
          <button
            type="button"
            className="icon-btn"
            aria-label={`Remove ${who}`}
            title={`Remove ${who}`}
            onClick={() => run(() => removePerson(database, person.id))}
          >
            ✕
          </button>
        )}
      </FieldCell>
    </tr>
  );
});
