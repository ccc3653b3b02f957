'use client';
// Fountain in and out of the screenplay editor: Import (file picker, or a file dropped
// on the script) replaces the script with the file's elements in ONE editor update — so
// one Yjs transaction, one undo step; a paste of Fountain text is read as Fountain and
// inserted at the caret; Export writes a .fountain file or a screenwriter's PDF.
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { mergeRegister } from '@lexical/utils';
import {
  $getSelection,
  $isRangeSelection,
  COMMAND_PRIORITY_HIGH,
  DRAGOVER_COMMAND,
  DROP_COMMAND,
  type LexicalEditor,
  PASTE_COMMAND,
} from 'lexical';
import { useEffect, useRef, useState } from 'react';
import { download } from '../lib/download.ts';
import { takePendingScriptImport } from '../lib/pending-script-import.ts';
import { fountainFileTypes, readFountainFile } from '../lib/fountain-file.ts';
import { preloadedModule } from '../lib/preloaded-module.ts';
import {
  type ScriptBlock,
  looksLikeFountain,
  paginateScript,
  parseFountain,
  parseTitlePageBlocks,
  printFountain,
  printedText,
} from '@clapper/domain';
import { $insertBlocksAfter, $readScriptBlocks, $replaceScript } from './script-blocks.ts';
import { $getAnchorElement } from './screenplay-keys-plugin.tsx';

// pdf-lib stays out of the editor's load, fetched once the script is on screen so Export PDF works offline.
const scriptPdf = preloadedModule(() => import('./pdf-export.ts'));

interface ImportReport {
  name: string;
  blocks: number;
  scenes: number;
  /** From reading the file's text to the editor having committed the new script. */
  ms: number;
}

/** Replaces the script with a Fountain text, asking first when the script has words in it. */
function importFountain(
  editor: LexicalEditor,
  text: string,
  name: string,
  onDone: (report: ImportReport) => void,
): boolean {
  const hasText = editor.getEditorState().read(() => $readScriptBlocks().some((block) => block.text.trim() !== ''));
  if (hasText && !window.confirm(`Replace the whole script with “${name}”? (Undo brings it back.)`)) return false;
  const started = performance.now();
  const blocks = parseFountain(text);
  editor.update(() => $replaceScript(blocks), {
    onUpdate: () =>
      onDone({
        name,
        blocks: blocks.length,
        scenes: blocks.filter((block) => block.type === 'scene-heading').length,
        ms: performance.now() - started,
      }),
  });
  return true;
}

/** Imports a picked or dropped file, or says why it can't be a script (and changes nothing). */
function importFountainFile(
  editor: LexicalEditor,
  file: File,
  onImported: (report: ImportReport) => void,
  onRefused: (status: { text: string }) => void,
): void {
  readFountainFile(file).then(
    (text) => importFountain(editor, text, file.name, onImported),
    (failure: unknown) => onRefused({ text: failure instanceof Error ? failure.message : String(failure) }),
  );
}

/** A file name from the title page's title, else `screenplay`. */
function fileBaseName(blocks: readonly ScriptBlock[]): string {
  const title = parseTitlePageBlocks(
    blocks.filter((block) => block.type === 'title-page').map((block) => block.text),
  ).find((field) => field.key === 'title');
  const text = title ? printedText(title.lines.join(' ')) : '';
  const safe = text
    .replace(/[^\p{L}\p{N} _.-]+/gu, '')
    .trim()
    .replace(/\s+/g, ' ');
  return safe || 'screenplay';
}

/** Import / export buttons for the editor's header. */
export function ScriptFileMenu({ readOnly, projectId }: { readOnly: boolean; projectId: string }) {
  const [editor] = useLexicalComposerContext();
  const input = useRef<HTMLInputElement | null>(null);
  const [status, setStatus] = useState<{ text: string; ms?: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const pdfReady = scriptPdf.usePreload();

  const onImported = (report: ImportReport) =>
    setStatus({
      text: `Imported ${report.name}: ${report.scenes} scene${report.scenes === 1 ? '' : 's'}, ${report.blocks} elements.`,
      ms: report.ms,
    });

  useEffect(() => registerFountainTransfer(editor, onImported, setStatus, readOnly), [editor, readOnly]);

  // A project made from a Fountain file on the project list: its script imports the file
  // once the editor is ready (the doc's server state in, so nothing is imported over it).
  useEffect(() => {
    if (readOnly) return;
    const apply = () => {
      if (!editor.isEditable()) return;
      const pending = takePendingScriptImport(projectId);
      if (pending) importFountain(editor, pending.text, pending.fileName, onImported);
    };
    apply();
    return editor.registerEditableListener(apply);
  }, [editor, readOnly, projectId]);

  const readBlocks = () => editor.getEditorState().read(() => $readScriptBlocks());

  const exportFountain = () => {
    const blocks = readBlocks();
    download(`${fileBaseName(blocks)}.fountain`, printFountain(blocks), 'text/plain;charset=utf-8');
  };

  const exportPdf = () => {
    setBusy(true);
    const blocks = readBlocks();
    const name = fileBaseName(blocks);
    scriptPdf
      .load()
      .then(({ renderScriptPdf }) => renderScriptPdf(paginateScript(blocks), name))
      .then((bytes) => {
        download(`${name}.pdf`, bytes as Uint8Array<ArrayBuffer>, 'application/pdf');
        setStatus({ text: `Exported ${name}.pdf.` });
      })
      .catch((failure: unknown) =>
        setStatus({
          text: `The PDF could not be made: ${failure instanceof Error ? failure.message : String(failure)}`,
        }),
      )
      .finally(() => setBusy(false));
  };

  return (
    <div className="sp-file-menu" role="group" aria-label="Script file" data-pdf-ready={pdfReady}>
      <style href="clapper-screenplay-extras" precedence="medium">
        {extraElementsCss}
      </style>
      {!readOnly && (
        <>
          <input
            ref={input}
            type="file"
            accept={fountainFileTypes}
            hidden
            data-testid="fountain-file-input"
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) importFountainFile(editor, file, onImported, setStatus);
            }}
          />
          <button
            type="button"
            className="sp-toolbar-button"
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => input.current?.click()}
            title="Replace the script with a Fountain file (or drop one on the script)"
          >
            Import…
          </button>
        </>
      )}
      <button
        type="button"
        className="sp-toolbar-button"
        onMouseDown={(event) => event.preventDefault()}
        onClick={exportFountain}
        title="Download the script as Fountain text"
      >
        Export .fountain
      </button>
      <button
        type="button"
        className="sp-toolbar-button"
        disabled={busy}
        onMouseDown={(event) => event.preventDefault()}
        onClick={exportPdf}
        title="Download the script as an industry-format PDF"
      >
        {busy ? 'Making PDF…' : 'Export PDF'}
      </button>
      {status && (
        <span
          className="sp-file-status"
          role="status"
          data-testid="script-file-status"
          data-import-ms={status.ms === undefined ? undefined : Math.round(status.ms)}
        >
          {status.text}
        </span>
      )}
    </div>
  );
}

/** Paste of Fountain text, and a Fountain file dropped on the script. */
function registerFountainTransfer(
  editor: LexicalEditor,
  onImported: (report: ImportReport) => void,
  onRefused: (status: { text: string }) => void,
  readOnly: boolean,
): () => void {
  if (readOnly) return () => {};
  return mergeRegister(
    editor.registerCommand(
      PASTE_COMMAND,
      (event) => {
        if (!editor.isEditable() || !(event instanceof ClipboardEvent)) return false;
        const text = event.clipboardData?.getData('text/plain') ?? '';
        if (!looksLikeFountain(text)) return false;
        event.preventDefault();
        const blocks = parseFountain(text);
        const selection = $getSelection();
        if ($isRangeSelection(selection) && !selection.isCollapsed()) selection.removeText();
        $insertBlocksAfter($getAnchorElement(), blocks);
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      DRAGOVER_COMMAND,
      (event) => {
        if (!event.dataTransfer?.types.includes('Files')) return false;
        event.preventDefault();
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
    editor.registerCommand(
      DROP_COMMAND,
      (event) => {
        const file = event.dataTransfer?.files[0];
        if (!file || !editor.isEditable()) return false;
        event.preventDefault();
        importFountainFile(editor, file, onImported, onRefused);
        return true;
      },
      COMMAND_PRIORITY_HIGH,
    ),
  );
}

// How the kinds a Fountain import keeps look in the editor (never printed, except
// centred text and page breaks).
const extraElementsCss = `
.sp-file-menu { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; font: 12px system-ui, sans-serif; }
.sp-file-status { color: #555; }
.sp-title-page { color: #444; text-align: center; }
.sp-title-page + .sp-el:not(.sp-title-page) { margin-top: 36pt; }
.sp-centered { text-align: center; }
.sp-note { background: #fdf6c3; color: #5c4b00; padding: 2px 6px; border-left: 3px solid #e2c600; }
.sp-note::before { content: '[[ '; opacity: .5; }
.sp-note::after { content: ' ]]'; opacity: .5; }
.sp-boneyard { color: #888; background: #f3f3f3; padding: 2px 6px; }
.sp-boneyard::before { content: '/* '; }
.sp-boneyard::after { content: ' */'; }
.sp-section { color: #2f4a7a; font-weight: bold; }
.sp-synopsis { color: #666; font-style: italic; }
.sp-synopsis::before { content: '= '; }
.sp-page-break { border-top: 1px dashed #bbb; }
`;
