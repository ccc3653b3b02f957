'use client';
// Typing as in a screenwriting app (@clapper/domain T1, T2): a character cue being typed
// offers the script's characters (↑/↓ to pick, Tab or Enter to take, Escape to dismiss),
// and `(` on an empty dialogue line turns it into a parenthetical.
//
// Cost: the script's cues are read (one pass over the top-level blocks) only while the
// caret is in a character cue, never on other keystrokes.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $setBlocksType } from '@lexical/selection';
import { mergeRegister } from '@lexical/utils';
import {
  $createTextNode,
  $getSelection,
  $isRangeSelection,
  $isTextNode,
  COMMAND_PRIORITY_CRITICAL,
  KEY_ARROW_DOWN_COMMAND,
  KEY_ARROW_UP_COMMAND,
  KEY_DOWN_COMMAND,
  KEY_ENTER_COMMAND,
  KEY_ESCAPE_COMMAND,
  KEY_TAB_COMMAND,
  type LexicalEditor,
} from 'lexical';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { characterCueSuggestions, startsParenthetical } from '@clapper/domain';
import { $getAnchorElement } from './screenplay-keys-plugin.tsx';
import {
  $createScreenplayElementNode,
  $isScreenplayElementNode,
  $scriptBlocks,
  type ScreenplayElementNode,
} from './screenplay-nodes.ts';

interface Offer {
  /** The cue block being typed. */
  blockKey: string;
  typed: string;
  names: string[];
  /** Where the list goes, relative to the editor body. */
  top: number;
  left: number;
}

/** The cue block holding a collapsed caret at its end, if any. */
function $cueAtCaret(): ScreenplayElementNode | null {
  const selection = $getSelection();
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return null;
  const block = $getAnchorElement();
  if (block === null || block.getElementType() !== 'character') return null;
  const { anchor } = selection;
  const atEnd =
    anchor.type === 'text'
      ? anchor.offset === anchor.getNode().getTextContentSize() && anchor.getNode().getNextSibling() === null
      : anchor.offset === block.getChildrenSize();
  return atEnd ? block : null;
}

function $otherCues(except: ScreenplayElementNode): string[] {
  const cues: string[] = [];
  for (const block of $scriptBlocks()) {
    if (block !== except && $isScreenplayElementNode(block) && block.getType() === 'character')
      cues.push(block.getTextContent());
  }
  return cues;
}

/** Puts `name` in the cue block, the caret after it. */
function $takeName(offer: Offer, name: string): boolean {
  const block = $getAnchorElement();
  if (block === null || block.getKey() !== offer.blockKey) return false;
  const only = block.getChildrenSize() === 1 ? block.getFirstChild() : null;
  if ($isTextNode(only)) {
    only.setTextContent(name);
    only.select(name.length, name.length);
  } else {
    block.clear();
    block.append($createTextNode(name));
    block.selectEnd();
  }
  return true;
}

function registerTyping(
  editor: LexicalEditor,
  current: () => { offer: Offer | null; active: number },
  set: (offer: Offer | null, active: number) => void,
  dismissed: { typed: string | null; blockKey: string | null },
): () => void {
  const take = (name: string | undefined) => {
    const { offer } = current();
    if (!offer || name === undefined) return false;
    const taken = $takeName(offer, name);
    if (taken) set(null, 0);
    return taken;
  };
  return mergeRegister(
    editor.registerUpdateListener(({ editorState }) => {
      const next = editorState.read((): Offer | null => {
        const block = $cueAtCaret();
        if (block === null) return null;
        const typed = block.getTextContent();
        if (dismissed.blockKey === block.getKey() && dismissed.typed === typed) return null;
        const names = characterCueSuggestions($otherCues(block), typed);
        if (names.length === 0) return null;
        const dom = editor.getElementByKey(block.getKey());
        const body = editor.getRootElement()?.parentElement;
        if (!dom || !body) return null;
        const blockRect = dom.getBoundingClientRect();
        const bodyRect = body.getBoundingClientRect();
        return {
          blockKey: block.getKey(),
          typed,
          names,
          top: blockRect.bottom - bodyRect.top + 2,
          left: blockRect.left - bodyRect.left,
        };
      });
      const { offer, active } = current();
      const same =
        offer !== null &&
        next !== null &&
        offer.blockKey === next.blockKey &&
        offer.names.join('\n') === next.names.join('\n');
      if (same) {
        if (offer.top !== next.top || offer.left !== next.left || offer.typed !== next.typed) set(next, active);
      } else if (offer !== null || next !== null) set(next, 0);
    }),
    editor.registerCommand(
      KEY_DOWN_COMMAND,
      (event) => {
        if (!editor.isEditable() || event.ctrlKey || event.metaKey || event.altKey) return false;
        const selection = $getSelection();
        const block = $getAnchorElement();
        if (!$isRangeSelection(selection) || !selection.isCollapsed() || block === null) return false;
        if (!startsParenthetical(block.getElementType(), block.getTextContent(), event.key)) return false;
        event.preventDefault();
        $setBlocksType(selection, () => $createScreenplayElementNode('parenthetical'));
        $getSelection()?.insertText('(');
        return true;
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
    editor.registerCommand(
      KEY_ARROW_DOWN_COMMAND,
      (event) => {
        const { offer, active } = current();
        if (!offer) return false;
        event?.preventDefault();
        set(offer, (active + 1) % offer.names.length);
        return true;
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
    editor.registerCommand(
      KEY_ARROW_UP_COMMAND,
      (event) => {
        const { offer, active } = current();
        if (!offer) return false;
        event?.preventDefault();
        set(offer, (active - 1 + offer.names.length) % offer.names.length);
        return true;
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
    // Tab takes the name and stays on the cue.
    editor.registerCommand(
      KEY_TAB_COMMAND,
      (event) => {
        const { offer, active } = current();
        if (!offer || event.shiftKey) return false;
        event.preventDefault();
        return take(offer.names[active]);
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
    // Enter takes the name and, as Enter after a cue does, goes on to the dialogue.
    editor.registerCommand(
      KEY_ENTER_COMMAND,
      (event) => {
        const { offer, active } = current();
        if (!offer || event?.shiftKey) return false;
        take(offer.names[active]);
        return false;
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
    editor.registerCommand(
      KEY_ESCAPE_COMMAND,
      () => {
        const { offer } = current();
        if (!offer) return false;
        dismissed.blockKey = offer.blockKey;
        dismissed.typed = offer.typed;
        set(null, 0);
        return true;
      },
      COMMAND_PRIORITY_CRITICAL,
    ),
  );
}

export function CueAndParentheticalPlugin() {
  const [editor] = useLexicalComposerContext();
  const [state, setState] = useState<{ offer: Offer | null; active: number }>({ offer: null, active: 0 });
  const stateRef = useRef(state);

  useEffect(() => {
    const dismissed = { typed: null as string | null, blockKey: null as string | null };
    const set = (offer: Offer | null, active: number) => {
      stateRef.current = { offer, active };
      setState(stateRef.current);
    };
    return registerTyping(editor, () => stateRef.current, set, dismissed);
  }, [editor]);

  const { offer, active } = state;
  const body = editor.getRootElement()?.parentElement;
  if (!offer || !body) return null;
  return createPortal(
    <ul
      className="sp-cue-suggestions"
      role="listbox"
      aria-label="Characters"
      data-testid="cue-suggestions"
      style={{ top: offer.top, left: offer.left }}
    >
      {offer.names.map((name, index) => (
        <li
          key={name}
          role="option"
          aria-selected={index === active}
          // Keep the caret in the script; the click takes the name.
          onMouseDown={(event) => {
            event.preventDefault();
            editor.update(() => {
              if ($takeName(offer, name)) {
                stateRef.current = { offer: null, active: 0 };
                setState(stateRef.current);
              }
            });
          }}
        >
          {name}
        </li>
      ))}
    </ul>,
    body,
  );
}
