'use client';
// Notes on any synced record (a scene, a shot, a shooting day): compact rich text, bound
// to the Yjs doc `project/<projectId>/note/<table>/<recordId>`, co-edited and offline-safe
// like the screenplay.
import { noteDocName } from '@clapper/collab/client';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $createHeadingNode, $isHeadingNode, HeadingNode, QuoteNode } from '@lexical/rich-text';
import { $setBlocksType } from '@lexical/selection';
import {
  $createParagraphNode,
  $getSelection,
  $isRangeSelection,
  FORMAT_TEXT_COMMAND,
  type TextFormatType,
} from 'lexical';
import { useEffect, useState } from 'react';
import { CollaborativeEditor, collaborativeEditorCss } from '../screenplay/collaborative-editor.tsx';

export interface NotesEditorProps {
  serverUrl: string;
  token: string;
  projectId: string;
  /** Synced table of the record the note belongs to, e.g. `scenes`, `shots`, `day_banners`. */
  table: string;
  recordId: string;
  user: { name: string; color: string };
  readOnly: boolean;
}

const nodes = [HeadingNode, QuoteNode];

const theme = {
  text: { bold: 'note-bold', italic: 'note-italic', underline: 'note-underline' },
  heading: { h3: 'note-h3' },
  quote: 'note-quote',
  paragraph: 'note-p',
};

export function NotesEditor(props: NotesEditorProps) {
  return (
    <>
      <style href="clapper-collab-editor" precedence="medium">
        {collaborativeEditorCss}
      </style>
      <style href="clapper-notes" precedence="medium">
        {notesCss}
      </style>
      <CollaborativeEditor
        serverUrl={props.serverUrl}
        token={props.token}
        docName={noteDocName(props.projectId, props.table, props.recordId)}
        user={props.user}
        readOnly={props.readOnly}
        namespace="clapper-notes"
        nodes={nodes}
        theme={theme}
        seedBlockType="paragraph"
        testId="notes-editor"
        className="notes-editor"
        ariaLabel="Notes"
        placeholder="Notes…"
        toolbar={<NotesToolbar readOnly={props.readOnly} />}
      />
    </>
  );
}

const formats: { format: TextFormatType; label: string; title: string }[] = [
  { format: 'bold', label: 'B', title: 'Bold (Ctrl/⌘+B)' },
  { format: 'italic', label: 'I', title: 'Italic (Ctrl/⌘+I)' },
  { format: 'underline', label: 'U', title: 'Underline (Ctrl/⌘+U)' },
];

function NotesToolbar({ readOnly }: { readOnly: boolean }) {
  const [editor] = useLexicalComposerContext();
  const [active, setActive] = useState<{ formats: Set<TextFormatType>; heading: boolean }>({
    formats: new Set(),
    heading: false,
  });

  useEffect(() => {
    const read = () =>
      editor.getEditorState().read(() => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) return;
        const block = selection.anchor.getNode().getTopLevelElement();
        setActive({
          formats: new Set(formats.map((f) => f.format).filter((f) => selection.hasFormat(f))),
          heading: $isHeadingNode(block),
        });
      });
    read();
    return editor.registerUpdateListener(read);
  }, [editor]);

  const toggleHeading = () =>
    editor.update(() => {
      const selection = $getSelection();
      if (!$isRangeSelection(selection)) return;
      $setBlocksType(selection, () => (active.heading ? $createParagraphNode() : $createHeadingNode('h3')));
    });

  return (
    <div className="note-toolbar" role="toolbar" aria-label="Formatting">
      {formats.map(({ format, label, title }) => (
        <button
          key={format}
          type="button"
          className={`note-toolbar-button note-toolbar-${format}`}
          aria-pressed={active.formats.has(format)}
          aria-label={format}
          title={title}
          disabled={readOnly}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, format)}
        >
          {label}
        </button>
      ))}
      <button
        type="button"
        className="note-toolbar-button"
        aria-pressed={active.heading}
        title="Heading"
        disabled={readOnly}
        onMouseDown={(event) => event.preventDefault()}
        onClick={toggleHeading}
      >
        H
      </button>
    </div>
  );
}

const notesCss = `
.notes-editor .collab-editor-body { border: 1px solid #ddd; border-radius: 6px; padding: 8px 10px; min-height: 6em; background: #fff; }
.notes-editor .collab-editor-input { font: 14px/1.45 system-ui, sans-serif; min-height: 5em; }
.notes-editor .collab-editor-placeholder { top: 8px; left: 10px; font: 14px/1.45 system-ui, sans-serif; }
.note-p { margin: 0 0 .4em; }
.note-h3 { font-size: 15px; margin: .2em 0 .4em; }
.note-quote { margin: 0 0 .4em; padding-left: 8px; border-left: 3px solid #ccc; color: #555; }
.note-bold { font-weight: bold; }
.note-italic { font-style: italic; }
.note-underline { text-decoration: underline; }
.note-toolbar { display: flex; gap: 4px; }
.note-toolbar-button { font: 600 12px system-ui, sans-serif; min-width: 26px; padding: 2px 6px; border: 1px solid #ccc; border-radius: 4px; background: #f7f7f7; cursor: pointer; }
.note-toolbar-italic { font-style: italic; }
.note-toolbar-underline { text-decoration: underline; }
.note-toolbar-button[aria-pressed="true"] { background: #222; color: #fff; border-color: #222; }
.note-toolbar-button:disabled { cursor: default; opacity: .5; }
`;
