'use client';
// The project's screenplay, co-edited live: one Lexical editor per person, all bound to
// the Yjs doc `project/<projectId>/script/<scriptId>`.
import { scriptDocName } from '@clapper/collab/client';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useEffect } from 'react';
import type { ReadScript } from '../shotlist/scene-eighths-sync.ts';
import { CollaborativeEditor, collaborativeEditorCss } from './collaborative-editor.tsx';
import { CueAndParentheticalPlugin } from './cue-and-parenthetical-plugin.tsx';
import { DualDialoguePlugin } from './dual-dialogue-plugin.tsx';
import { ElementToolbar } from './element-toolbar.tsx';
import { ScriptFileMenu } from './fountain-import.tsx';
import { ScreenplayGrammarPlugin } from './grammar-plugin.tsx';
import { RemoteCaretLabelsPlugin, remoteCaretTheme } from './remote-caret-labels-plugin.tsx';
import { ScreenplayKeysPlugin } from './screenplay-keys-plugin.tsx';
import { screenplayNodes } from './screenplay-nodes.ts';
import { screenplayExcludedProperties } from './screenplay-synced-properties.ts';
import { registerNoWholeScriptTextCopy } from './no-whole-script-text-copy.ts';
import { ScriptChangesPlugin } from './script-changes-plugin.tsx';
import { TypewriterMarginPlugin } from './typewriter-margin-plugin.tsx';

export interface ScreenplayEditorProps {
  /** The Clapper server (`http(s)://host:port`); the Yjs endpoint is `/yjs` on it. */
  serverUrl: string;
  token: string;
  projectId: string;
  scriptId: string;
  user: { name: string; color: string };
  /** Viewers: nothing is editable (and the server drops their updates anyway). */
  readOnly: boolean;
  /** Called after every change of the script's doc (keep it cheap); `read` reads and paginates the script. */
  onScriptChanged?: ((read: ReadScript) => void) | undefined;
}

const nodes = [...screenplayNodes];
// Remote carets and their name tags get classes (styled below) instead of Lexical's inline styles.
const theme = { collaboration: remoteCaretTheme };

export function ScreenplayEditor(props: ScreenplayEditorProps) {
  return (
    <>
      {/* href + precedence: React hoists each sheet into <head> once, however many editors mount. */}
      <style href="clapper-collab-editor" precedence="medium">
        {collaborativeEditorCss}
      </style>
      <style href="clapper-screenplay" precedence="medium">
        {screenplayCss}
      </style>
      <CollaborativeEditor
        serverUrl={props.serverUrl}
        token={props.token}
        docName={scriptDocName(props.projectId, props.scriptId)}
        user={props.user}
        readOnly={props.readOnly}
        namespace="clapper-screenplay"
        nodes={nodes}
        theme={theme}
        // A block's look is its type: its default-valued properties stay out of the doc.
        excludedProperties={screenplayExcludedProperties}
        // A new script starts at its first scene heading, in the first of its page-sized groups.
        seedBlockType="script-group/scene-heading"
        testId="screenplay-editor"
        className="sp-editor"
        ariaLabel="Screenplay"
        placeholder="INT. LOCATION - DAY"
        toolbar={
          <>
            <ElementToolbar readOnly={props.readOnly} />
            <ScriptFileMenu readOnly={props.readOnly} projectId={props.projectId} />
          </>
        }
      >
        <ScreenplayKeysPlugin />
        <ScreenplayGrammarPlugin />
        <CueAndParentheticalPlugin />
        <RemoteCaretLabelsPlugin />
        <DualDialoguePlugin />
        <TypewriterMarginPlugin />
        <NoWholeScriptTextCopyPlugin />
        {props.onScriptChanged && <ScriptChangesPlugin onChange={props.onScriptChanged} />}
      </CollaborativeEditor>
    </>
  );
}

/** A keystroke does not copy the whole script's text (no-whole-script-text-copy.ts). */
function NoWholeScriptTextCopyPlugin() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerNoWholeScriptTextCopy(editor), [editor]);
  return null;
}

// Industry layout on a US Letter page: 1.5in left and 1in right margins leave a 6in
// text column; positions below are from the page's left edge (action 1.5in, dialogue
// 2.5in, parenthetical 3.1in, character 3.7in, transitions flush right), Courier 12pt.
const screenplayCss = `
.sp-editor .collab-editor-body {
  background: #fff; color: #111; width: 8.5in; max-width: 100%; box-sizing: border-box; flex: none;
  padding: 1in 1in 1in 1.5in; box-shadow: 0 1px 4px rgba(0,0,0,.15); min-height: 6in; margin: 0 auto 24px;
}
/* Room under the page for the script's last line to come up to the writer's eye line
   (typewriter-margin-plugin.tsx keeps the caret line a third of the view above the bottom). */
.sp-editor { padding-bottom: 34vh; box-sizing: border-box; }
.sp-editor .collab-editor-input { font-family: var(--font-screenplay, 'Courier Prime', 'Courier New', Courier, monospace); font-size: 12pt; line-height: 1; }
.sp-editor .collab-editor-placeholder { top: 1in; left: 1.5in; font-family: var(--font-screenplay, 'Courier Prime', 'Courier New', Courier, monospace); font-size: 12pt; line-height: 1; text-transform: uppercase; }
.sp-el { margin: 0; padding: 0; white-space: pre-wrap; min-height: 1em; }
/* A feature script is ~5,000 blocks in one contenteditable, and Chromium lays out,
   paints and walks (for the text-input state it syncs on every caret move) all of them
   on each keystroke, wherever the caret is. Off-screen blocks skip that work; the block
   holding the caret or a selection is always rendered. The size kept for a skipped block
   is the one it last rendered at (a line until then). */
.sp-el { content-visibility: auto; contain-intrinsic-block-size: auto 12pt; }
/* New and imported scripts hold their blocks in page-sized groups (script-groups.ts in
   @clapper/domain): the editable then has ~100 children, not ~5,000, and a group off
   screen skips rendering as a whole (its blocks need no observer of their own). The size
   kept for a skipped group is the one it last rendered at (about a page until then). */
.sp-group { content-visibility: auto; contain-intrinsic-block-size: auto 800pt; }
.sp-group > .sp-el { content-visibility: visible; contain-intrinsic-block-size: none; }
/* A group whose blocks were all deleted stays in the doc (a co-writer may be adding to it)
   and shows nothing. */
.sp-group:not(:has(> .sp-el)) { display: none; }
.sp-el + .sp-el { margin-top: 12pt; }
/* The spacing between blocks carries across a group's edge. */
.sp-group + .sp-group > .sp-el:first-child, .sp-el + .sp-group > .sp-el:first-child, .sp-group + .sp-el { margin-top: 12pt; }
.sp-el.sp-dialogue, .sp-el.sp-parenthetical, .sp-el + .sp-el.sp-dialogue, .sp-el + .sp-el.sp-parenthetical,
.sp-group + .sp-group > .sp-el.sp-dialogue:first-child, .sp-group + .sp-group > .sp-el.sp-parenthetical:first-child { margin-top: 0; }
.sp-scene-heading { text-transform: uppercase; font-weight: bold; }
.sp-el + .sp-scene-heading, .sp-group + .sp-group > .sp-scene-heading:first-child, .sp-el + .sp-group > .sp-scene-heading:first-child, .sp-group + .sp-scene-heading { margin-top: 24pt; }
.sp-character { margin-left: 2.2in; text-transform: uppercase; }
.sp-parenthetical { margin-left: 1.6in; max-width: 2in; }
.sp-dialogue { margin-left: 1in; max-width: 3.5in; }
.sp-transition { text-align: right; text-transform: uppercase; }
.sp-cue-suggestions {
  position: absolute; z-index: 30; margin: 0; padding: 2px 0; list-style: none; min-width: 14em;
  background: #fff; border: 1px solid #bbb; border-radius: 4px; box-shadow: 0 2px 8px rgba(0,0,0,.15);
  font-family: var(--font-screenplay, 'Courier Prime', 'Courier New', Courier, monospace); font-size: 12pt;
}
.sp-cue-suggestions li { padding: 2px 10px; cursor: pointer; }
.sp-cue-suggestions li[aria-selected="true"] { background: #222; color: #fff; }
.sp-remote-caret { position: absolute; background: var(--lexical-cursor-color); pointer-events: none; }
/* Placed in the left margin by RemoteCaretLabelsPlugin (right/max-width), level with the caret. */
.sp-remote-name {
  position: absolute; top: 0; padding: 1px 4px; border-radius: 3px; background: var(--lexical-cursor-color); color: #fff;
  font: bold 11px/1.2 system-ui, sans-serif; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; pointer-events: none;
}
.sp-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; font: 12px system-ui, sans-serif; }
.sp-toolbar-current { min-width: 9em; font-weight: 600; }
.sp-toolbar-button { font: inherit; padding: 2px 8px; border: 1px solid #ccc; border-radius: 4px; background: #f7f7f7; cursor: pointer; }
.sp-toolbar-button[aria-pressed="true"] { background: #222; color: #fff; border-color: #222; }
.sp-toolbar-button:disabled { cursor: default; opacity: .5; }
/* Narrow screens (phones, tablets upright) have no room for the page's inches: the page
   loses its margins and the indents become shares of the text column, as mobile
   screenwriting apps do, so dialogue still reads as a column and action as full lines. */
.sp-editor { container-type: inline-size; }
@container (max-width: 840px) {
  .sp-editor .collab-editor-body { width: 100%; padding: 16px 14px 48px; margin: 0; box-shadow: none; min-height: 0; }
  .sp-editor .collab-editor-placeholder { top: 16px; left: 14px; }
  .sp-character { margin-left: 30%; }
  .sp-parenthetical { margin-left: 20%; max-width: 65%; }
  .sp-dialogue { margin-left: 12%; max-width: 80%; }
  .sp-toolbar-button { padding: 6px 10px; }
  .sp-toolbar-current { min-width: 0; }
}
`;
