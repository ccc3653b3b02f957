import { describe, expect, test } from 'vitest';
import { CollabError } from './collab-error.ts';
import { noteDocName, parseDocName, scriptDocName } from './doc-name.ts';

describe('doc names', () => {
  test('[Y1] builders and the parser agree on scripts and notes', () => {
    const script = scriptDocName('proj_1', 'script-A');
    expect(script).toBe('project/proj_1/script/script-A');
    expect(parseDocName(script)).toEqual({ kind: 'script', projectId: 'proj_1', id: 'script-A', name: script });
    const note = noteDocName('proj_1', 'shots', 'shot_9');
    expect(note).toBe('project/proj_1/note/shots/shot_9');
    expect(parseDocName(note)).toEqual({ kind: 'note', projectId: 'proj_1', table: 'shots', id: 'shot_9', name: note });
  });

  test('[Y1] anything else is a BAD_DOC_NAME error saying what is wrong', () => {
    const cases: [string, RegExp][] = [
      ['project/p1/diary/x', /script\/<id> or/],
      ['project/p1/note/users/x', /not a synced table/],
      ['project/p1/note/shots', /script\/<id> or/],
      ['project/p 1/script/x', /projectId/],
      ['project/p1/script/../x', /script\/<id> or/],
      ['project/p1/script/', /script id/],
      [`project/p1/script/${'a'.repeat(65)}`, /script id/],
      ['projects/p1/script/x', /must start with project/],
      ['', /must start with project/],
    ];
    for (const [name, message] of cases) {
      let error: unknown;
      try {
        parseDocName(name);
      } catch (caught) {
        error = caught;
      }
      expect(error, name).toBeInstanceOf(CollabError);
      expect((error as CollabError).code).toBe('BAD_DOC_NAME');
      expect((error as CollabError).message, name).toMatch(message);
    }
    expect(() => noteDocName('p1', 'nope', 'x')).toThrow(/not a synced table/);
    expect(() => scriptDocName('p1', 'a/b')).toThrow(/script id/);
  });
});
