// The script-pages worker's computation (script-pages-core.ts, which script-pages.worker.ts
// runs): a replica fed the window doc's updates one by one paginates exactly as the
// window's own doc does, for a real 120-page screenplay and after each kind of edit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readScript } from '@clapper/collab/client';
import { type ScriptBlock, parseFountain, scenesFromScript, scriptCues } from '@clapper/domain';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { type ScriptPagesReply, createScriptPagesHost } from './script-pages-core.ts';

const lighthouse = readFileSync(
  path.resolve(import.meta.dirname, '../../../../packages/domain/test-data/the-last-lighthouse.fountain'),
  'utf8',
);

/** A block as Lexical's Yjs binding stores it: an XmlText with its node type, holding its text. */
function appendBlock(root: Y.XmlText, block: ScriptBlock, at = root.length): Y.XmlText {
  const element = new Y.XmlText();
  element.setAttribute('__type', block.type);
  root.insertEmbed(at, element);
  element.insert(0, block.text);
  return element;
}

test('a replica fed the doc’s updates paginates and reads cues as the doc itself does, for a long script and after edits of every kind', () => {
  // The real screenplay, repeated to about 120 pages.
  const sample = parseFountain(lighthouse).filter((block) => block.type !== 'title-page');
  const script: ScriptBlock[] = [];
  while (script.length < 3_600) script.push(...sample);
  const doc = new Y.Doc();
  const host = createScriptPagesHost();
  let request = 0;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const root = doc.get('root', Y.XmlText);
  doc.transact(() => {
    for (const block of script) appendBlock(root, block);
  });
  const check = () => {
    for (const update of updates.splice(0)) host.handle({ type: 'update', id: 1, update });
    request += 1;
    const reply = host.handle({ type: 'paginate', id: 1, request }) as ScriptPagesReply;
    expect(reply.type).toBe('paginated');
    if (reply.type !== 'paginated') return;
    const elements = readScript(doc).elements;
    expect(reply.blocks).toBe(elements.length);
    expect(reply.scenes).toEqual(scenesFromScript(elements));
    // The cast views' reading of the same replica.
    request += 1;
    expect(host.handle({ type: 'cues', id: 1, request })).toEqual({
      type: 'cues',
      id: 1,
      request,
      cues: scriptCues(elements),
    });
    return reply;
  };
  const first = check();
  expect(first?.scenes.length).toBeGreaterThan(100);
  expect(first?.blocks).toBe(script.length);
  expect(scriptCues(readScript(doc).elements).names.length).toBeGreaterThan(1);

  // Typing: one character per update, into the last block and into one in the middle.
  const blocks = () => (root.toDelta() as { insert: unknown }[]).map(({ insert }) => insert as Y.XmlText);
  const middle = blocks()[1_800] as Y.XmlText;
  for (const char of 'The tide turns.') middle.insert(middle.length, char);
  check();
  // New blocks (Enter), lines of action that push scenes onto the next page.
  for (let i = 0; i < 40; i += 1)
    appendBlock(root, { type: 'action', text: `A new line of action, number ${i}.` }, 2_000);
  check();
  // A block deleted, a block's kind changed (the binding replaces it), a heading typed.
  root.delete(10, 1);
  const retyped = blocks()[500] as Y.XmlText;
  retyped.setAttribute('__type', 'scene-heading');
  appendBlock(root, { type: 'scene-heading', text: 'EXT. HARBOUR WALL - NIGHT' }, 3_000);
  check();
  // A cue typed: a new character in the scene it lands in.
  appendBlock(root, { type: 'character', text: 'HARBOURMASTER (O.S.)' }, 3_001);
  expect(check()?.blocks).toBe(readScript(doc).elements.length);
  expect(scriptCues(readScript(doc).elements).names).toContain('HARBOURMASTER');
  // A second doc in the same worker is kept apart; a closed one is forgotten.
  host.handle({ type: 'update', id: 2, update: Y.encodeStateAsUpdate(new Y.Doc()) });
  const empty = host.handle({ type: 'paginate', id: 2, request: 99 }) as ScriptPagesReply;
  expect(empty.type === 'paginated' && empty.blocks).toBe(0);
  host.handle({ type: 'close', id: 1 });
  const closed = host.handle({ type: 'paginate', id: 1, request: 100 }) as ScriptPagesReply;
  expect(closed.type === 'paginated' && closed.blocks).toBe(0);
});
