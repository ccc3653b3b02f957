// Keeps a writer's caret on their own text when someone else types at the same spot.
//
// Lexical's Yjs binding (v1) stores this editor's selection in the awareness state as Yjs
// relative positions, and after every remote change puts the caret back where those
// positions now resolve ($syncLocalCursorPosition). For a collapsed caret it uses
// assoc 0: the position sticks to the character to the caret's right, or to the end of
// the block when the caret is at its end, which is where people type. When someone else
// types at that same spot, their characters land between the caret and the character it
// sticks to (or before the block's end), so the caret jumps past them and the writer's
// next keystroke goes in after the other person's: "Lightning." and "A ferry horn."
// typed at once became "AL ifgehrtrnyi nhgo.rn.".
//
// Here a collapsed caret sticks to the character on its left instead (assoc -1): the
// one the writer just typed. Concurrent characters from others then stay on the other
// side of it, and each person's words come out whole, in both windows. Ranges keep
// Lexical's own associations (each end sticks to the selected text).
import type { ProviderAwareness, UserState } from '@lexical/yjs';
import {
  type Doc,
  type RelativePosition,
  compareRelativePositions,
  createAbsolutePositionFromRelativePosition,
  createRelativePositionFromTypeIndex,
} from 'yjs';

type Position = RelativePosition | null | undefined;

/** The same place in the doc, stuck to the character on its left (or the start of its parent). */
function stuckLeft(position: RelativePosition, doc: Doc): RelativePosition {
  if (position.assoc < 0) return position;
  const absolute = createAbsolutePositionFromRelativePosition(position, doc);
  return absolute === null ? position : createRelativePositionFromTypeIndex(absolute.type, absolute.index, -1);
}

const samePosition = (a: Position, b: Position) =>
  (a ?? null) === (b ?? null) || (a != null && b != null && compareRelativePositions(a, b));

function sameState(a: UserState | null, b: UserState): boolean {
  if (a === null) return false;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'anchorPos' || key === 'focusPos') {
      if (!samePosition(a[key], b[key])) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

/**
 * `awareness` as the binding should see it: a collapsed caret it publishes is stored
 * stuck to the character on its left. A state equal to the current one is not
 * re-published (the binding compares its own assoc-0 positions with the stored ones,
 * which now always differ, and would otherwise broadcast on every update).
 */
export function caretSticksToOwnText(awareness: ProviderAwareness, doc: Doc): ProviderAwareness {
  return {
    getLocalState: () => awareness.getLocalState(),
    getStates: () => awareness.getStates(),
    on: (type, listener) => awareness.on(type, listener),
    off: (type, listener) => awareness.off(type, listener),
    setLocalStateField: (field, value) => awareness.setLocalStateField(field, value),
    setLocalState(state) {
      if (state === null) return awareness.setLocalState(null);
      const { anchorPos, focusPos } = state;
      if (anchorPos != null && focusPos != null && samePosition(anchorPos, focusPos)) {
        const caret = stuckLeft(anchorPos, doc);
        const next = { ...state, anchorPos: caret, focusPos: caret };
        if (sameState(awareness.getLocalState(), next)) return;
        awareness.setLocalState(next);
        return;
      }
      awareness.setLocalState(state);
    },
  };
}
