'use client';
/**
 * The workspace's only way in to the Lexical editors (`../screenplay`, `../notes`): loaded
 * on the client only, in their own chunk, because Lexical, Yjs and IndexedDB need a
 * browser and the shot list should not wait for them. Type imports are erased, so the
 * props come from the editors themselves.
 */
import dynamic from 'next/dynamic';
import { type ComponentType, useEffect } from 'react';
import { afterFirstView } from '../lib/first-view.ts';
import type { NotesEditorProps } from '../notes/index.ts';
import type { ScreenplayEditorProps } from '../screenplay/index.ts';

function Placeholder({ what }: { what: string }) {
  return <div className="editor-placeholder muted">The {what} editor is loading…</div>;
}

export const ScreenplayEditorSlot: ComponentType<ScreenplayEditorProps> = dynamic(
  () => import('../screenplay/index.ts').then((m) => m.ScreenplayEditor),
  { ssr: false, loading: () => <Placeholder what="screenplay" /> },
);

export const NotesEditorSlot: ComponentType<NotesEditorProps> = dynamic(
  () => import('../notes/index.ts').then((m) => m.NotesEditor),
  { ssr: false, loading: () => <Placeholder what="notes" /> },
);

/**
 * Fetches and runs the screenplay editor's code once the project's first view has shown
 * and the page is idle, so opening the Script tab later does not wait for Lexical and Yjs
 * to load and compile, and the board's first frame does not wait for them either. Offline
 * it was fetched already (the service worker keeps it) or fails quietly.
 */
export function usePreloadScreenplayEditor(): void {
  useEffect(() => afterFirstView(() => void import('../screenplay/index.ts').catch(() => undefined), 3_000), []);
}
