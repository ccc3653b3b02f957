'use client';
/**
 * The import boundary to engineer F's Lexical editors (apps/web/src/screenplay and
 * apps/web/src/notes). Loaded client-side only: Lexical + Yjs + IndexedDB need a browser.
 *
 * ScreenplayEditor props: {serverUrl, token, projectId, scriptId, user: {name, color}, readOnly}
 * NotesEditor props:      {serverUrl, token, projectId, table, recordId, user: {name, color}, readOnly}
 */
import dynamic from 'next/dynamic';
import type { ComponentType } from 'react';

export interface EditorUser {
  name: string;
  color: string;
}

export interface ScreenplayEditorProps {
  serverUrl: string;
  token: string;
  projectId: string;
  scriptId: string;
  user: EditorUser;
  readOnly: boolean;
}

export interface NotesEditorProps {
  serverUrl: string;
  token: string;
  projectId: string;
  table: 'scenes' | 'shots' | 'day_banners';
  recordId: string;
  user: EditorUser;
  readOnly: boolean;
}

function Placeholder({ what }: { what: string }) {
  return <div className="editor-placeholder muted">The {what} editor is loading…</div>;
}

export const ScreenplayEditorSlot: ComponentType<ScreenplayEditorProps> = dynamic(
  () => import('../screenplay/index.ts').then((m) => m.ScreenplayEditor as ComponentType<ScreenplayEditorProps>),
  { ssr: false, loading: () => <Placeholder what="screenplay" /> },
);

export const NotesEditorSlot: ComponentType<NotesEditorProps> = dynamic(
  () => import('../notes/index.ts').then((m) => m.NotesEditor as ComponentType<NotesEditorProps>),
  { ssr: false, loading: () => <Placeholder what="notes" /> },
);
