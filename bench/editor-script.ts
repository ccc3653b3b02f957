// A generated feature-length screenplay for the editor benchmark: about 120 pages
// (5,000 blocks, 180k characters) in the shape real scripts have (a scene heading, action,
// then exchanges of cue / dialogue, now and then a parenthetical or a transition), as the
// Lexical editor-state JSON the web app's editor parses. Deterministic: the same blocks
// every run. Stored as a new or imported script is, in page-sized groups
// (`groupScriptBlocks`); `BENCH_EDITOR_SHAPE=flat` loads it flat, as older scripts are.
import { groupScriptBlocks, scriptGroupType } from '@clapper/domain';

export interface GeneratedBlock {
  type: 'scene-heading' | 'action' | 'character' | 'parenthetical' | 'dialogue' | 'transition';
  text: string;
}

const places = ['KITCHEN', 'FERRY DECK', 'HARBOUR OFFICE', 'LIGHTHOUSE', 'CAR PARK', 'BEDSIT', 'PIER', 'CAFE'];
const times = ['DAY', 'NIGHT', 'DAWN', 'DUSK', 'CONTINUOUS'];
const people = ['MARA', 'TOM', 'INSPECTOR ADEYEMI', 'GRANDMOTHER', 'FERRYMAN', 'ELLIE'];
const words =
  'the rain drums on the tin roof while a lamp swings above the table and someone outside calls a name twice before the door opens onto the dark harbour where boats knock together'.split(
    ' ',
  );

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function sentence(next: () => number, minWords: number, maxWords: number): string {
  const count = minWords + Math.floor(next() * (maxWords - minWords + 1));
  const picked = Array.from({ length: count }, () => words[Math.floor(next() * words.length)] as string);
  const text = picked.join(' ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function generateScript(blockCount = 5_000): GeneratedBlock[] {
  const next = random(120);
  const blocks: GeneratedBlock[] = [];
  let scene = 0;
  while (blocks.length < blockCount) {
    scene += 1;
    const place = places[scene % places.length] as string;
    blocks.push({
      type: 'scene-heading',
      text: `${scene % 3 === 0 ? 'EXT.' : 'INT.'} ${place} - ${times[scene % times.length]}`,
    });
    blocks.push({ type: 'action', text: `${sentence(next, 12, 30)} ${sentence(next, 6, 16)}` });
    const exchanges = 4 + Math.floor(next() * 8);
    for (let i = 0; i < exchanges && blocks.length < blockCount; i += 1) {
      blocks.push({ type: 'character', text: people[Math.floor(next() * people.length)] as string });
      if (next() < 0.2) blocks.push({ type: 'parenthetical', text: '(quietly)' });
      blocks.push({ type: 'dialogue', text: sentence(next, 4, 16) });
      if (next() < 0.25) blocks.push({ type: 'action', text: sentence(next, 8, 22) });
    }
    if (next() < 0.3) blocks.push({ type: 'transition', text: 'CUT TO:' });
  }
  return blocks.slice(0, blockCount);
}

export type ScriptShape = 'grouped' | 'flat';

/** The shape the benchmark loads: `BENCH_EDITOR_SHAPE` (`grouped`, the default, or `flat`). */
export function benchScriptShape(): ScriptShape {
  const shape = process.env.BENCH_EDITOR_SHAPE || 'grouped';
  if (shape !== 'grouped' && shape !== 'flat')
    throw new Error(`BENCH_EDITOR_SHAPE must be grouped or flat, not ${shape}`);
  return shape;
}

/** The blocks as a serialized Lexical editor state (`editor.parseEditorState` input). */
export function toEditorStateJson(blocks: readonly GeneratedBlock[], shape: ScriptShape = benchScriptShape()): string {
  const text = (value: string) => ({
    detail: 0,
    format: 0,
    mode: 'normal',
    style: '',
    text: value,
    type: 'text',
    version: 1,
  });
  const element = (block: GeneratedBlock) => ({
    type: block.type,
    version: 1,
    direction: null,
    format: '',
    indent: 0,
    children: block.text ? [text(block.text)] : [],
  });
  const group = (blocks: readonly GeneratedBlock[]) => ({
    type: scriptGroupType,
    version: 1,
    direction: null,
    format: '',
    indent: 0,
    children: blocks.map(element),
  });
  return JSON.stringify({
    root: {
      type: 'root',
      version: 1,
      direction: null,
      format: '',
      indent: 0,
      children: shape === 'flat' ? blocks.map(element) : groupScriptBlocks(blocks).map(group),
    },
  });
}
