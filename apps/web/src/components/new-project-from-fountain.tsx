'use client';
// "New project from Fountain…": a .fountain file (picked, or dropped on the project list)
// becomes a new project named after its title page (domain TP1). The project is created
// on the server, the file waits in this tab (pending-script-import.ts), and the project
// opens on its Script tab, whose editor imports it as Import does.
import { parseFountain, projectNameForScript } from '@clapper/domain';
import { useRouter } from 'next/navigation';
import { type DragEvent, type ReactNode, useRef, useState } from 'react';
import { apiErrorMessage, createApi } from '../lib/api.ts';
import { useServerUrl } from '../lib/app-config.tsx';
import { fountainFileProblem, fountainFileTypes, readFountainFile } from '../lib/fountain-file.ts';
import { savePendingScriptImport } from '../lib/pending-script-import.ts';
import { rememberProject } from '../lib/project-cache.ts';
import type { Session } from '../lib/session-store.ts';

export function useNewProjectFromFountain(session: Session): {
  start: (file: File) => void;
  busy: string | null;
  error: string | null;
} {
  const serverUrl = useServerUrl();
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const start = (file: File) => {
    if (busy) return;
    setError(null);
    const early = fountainFileProblem(file.name, file.size, null);
    if (early) {
      setError(early);
      return;
    }
    setBusy(file.name);
    readFountainFile(file)
      .then(async (text) => {
        const name = projectNameForScript(parseFountain(text), file.name);
        setBusy(name);
        let project: { id: string; name: string };
        try {
          project = await createApi(serverUrl, session.token).projects.create.mutate({ name });
        } catch (failure) {
          throw new Error(apiErrorMessage(failure));
        }
        rememberProject(session.user.id, { ...project, role: 'owner' });
        savePendingScriptImport(project.id, { fileName: file.name, text });
        router.push(`/projects/${project.id}`);
      })
      .catch((failure: unknown) => {
        setBusy(null);
        setError(failure instanceof Error ? failure.message : String(failure));
      });
  };
  return { start, busy, error };
}

/** The button and its hidden file input. */
export function NewProjectFromFountainButton({
  start,
  busy,
  disabled,
}: {
  start: (file: File) => void;
  busy: string | null;
  disabled: boolean;
}) {
  const input = useRef<HTMLInputElement | null>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={fountainFileTypes}
        hidden
        data-testid="new-project-fountain-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) start(file);
        }}
      />
      <button
        type="button"
        className="btn"
        disabled={disabled || busy !== null}
        title="Create a project from a Fountain screenplay (or drop the file on the project list)"
        onClick={() => input.current?.click()}
      >
        {busy ? `Creating ${busy}…` : 'New project from Fountain…'}
      </button>
    </>
  );
}

/** Takes a file dragged from the desktop anywhere over `children`. */
export function FountainDropZone({
  start,
  disabled,
  children,
}: {
  start: (file: File) => void;
  disabled: boolean;
  children: ReactNode;
}) {
  const [over, setOver] = useState(false);
  const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  return (
    <div
      className={`fountain-drop-zone${over ? ' drag-over' : ''}`}
      data-testid="project-drop-zone"
      onDragOver={(event) => {
        if (disabled || !carriesFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(event) => {
        setOver(false);
        const file = event.dataTransfer.files[0];
        if (disabled || !file) return;
        event.preventDefault();
        start(file);
      }}
    >
      {children}
      {over && <div className="fountain-drop-hint">Drop a Fountain script to make a new project from it</div>}
    </div>
  );
}
