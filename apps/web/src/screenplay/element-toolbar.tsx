'use client';
// Shows the kind of the block the caret is in, and sets it.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect, useState } from 'react';
import { type ScriptElement, screenplayElementLabels, screenplayElements, scriptElementLabels } from '@clapper/domain';
import { $getAnchorElement, SET_ELEMENT_TYPE_COMMAND } from './screenplay-keys-plugin.tsx';

const isMac = () => typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function ElementToolbar({ readOnly }: { readOnly: boolean }) {
  const [editor] = useLexicalComposerContext();
  const [current, setCurrent] = useState<ScriptElement | null>(null);

  useEffect(() => {
    const read = () => editor.getEditorState().read(() => setCurrent($getAnchorElement()?.getElementType() ?? null));
    read();
    return editor.registerUpdateListener(read);
  }, [editor]);

  const modifier = isMac() ? '⌘' : 'Ctrl+';
  return (
    <div className="sp-toolbar" role="toolbar" aria-label="Screenplay element">
      <span className="sp-toolbar-current" data-testid="element-type" data-type={current ?? ''}>
        {current ? scriptElementLabels[current] : '—'}
      </span>
      {screenplayElements.map((type, index) => (
        <button
          key={type}
          type="button"
          className="sp-toolbar-button"
          aria-pressed={current === type}
          disabled={readOnly}
          title={`${screenplayElementLabels[type]} (${modifier}${index + 1}; Tab / Shift+Tab cycles)`}
          // Keep the caret in the script: a focused button would take the selection with it.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => {
            editor.dispatchCommand(SET_ELEMENT_TYPE_COMMAND, type);
            editor.focus();
          }}
        >
          {screenplayElementLabels[type]}
        </button>
      ))}
    </div>
  );
}
