'use client';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { AppFrame } from '../components/app-frame.tsx';
import { useProjectListRefresh } from '../components/project-list.tsx';
import { EngineSyncPill } from '../components/sync-pill.tsx';
import { useServerUrl } from '../lib/app-config.tsx';
import { markFirstViewShown } from '../lib/first-view.ts';
import { useCachedProjects } from '../lib/project-cache.ts';
import { hasPendingScriptImport } from '../lib/pending-script-import.ts';
import { discardLocalChanges, getProjectRuntime } from '../lib/project-runtime.ts';
import type { Session } from '../lib/session-store.ts';
import { userColor } from '../lib/user-color.ts';
import { Breakdown } from '../cast/breakdown.tsx';
import { CastCrew } from '../cast/cast-crew.tsx';
import { useSceneCast } from '../cast/use-scene-cast.ts';
import { useScriptCues } from '../cast/use-script-cues.ts';
import { CallSheets } from '../callsheet/call-sheets.tsx';
import { useSceneEighthsSync } from '../shotlist/scene-eighths-sync.ts';
import { type NotesTarget, Stripboard } from '../shotlist/stripboard.tsx';
import { NotesEditorSlot, ScreenplayEditorSlot, usePreloadScreenplayEditor } from './editor-slots.tsx';
import { useProjectScript } from './use-project-script.ts';

type Tab = 'shots' | 'script' | 'cast' | 'breakdown' | 'call-sheets';

const tabs: readonly { id: Tab; label: string }[] = [
  { id: 'shots', label: 'Shot list' },
  { id: 'script', label: 'Script' },
  { id: 'cast', label: 'Cast & crew' },
  { id: 'breakdown', label: 'Breakdown' },
  { id: 'call-sheets', label: 'Call sheets' },
];

/**
 * One project: everything renders from the local database first; the sync engine keeps
 * it in step with the server in the background. Nothing here waits on the network.
 */
export function Workspace({ session, projectId }: { session: Session; projectId: string }) {
  const serverUrl = useServerUrl();
  const runtime = useMemo(
    () => getProjectRuntime(projectId, serverUrl, session.user.id),
    [projectId, serverUrl, session.user.id],
  );
  // Only what the workspace itself reads of the sync status, as booleans: the status changes
  // several times per sync, and each change of a value read here re-renders the whole
  // workspace, board included, in the same task (useSyncExternalStore renders at once).
  const isSynced = () => runtime.engine.getStatus().lastSyncedAt !== null;
  const synced = useSyncExternalStore(runtime.engine.subscribe, isSynced, isSynced);
  const projects = useCachedProjects(session.user.id);
  useProjectListRefresh(session);
  const project = projects.find((p) => p.id === projectId);
  // Unknown role (never listed on this device): read-only until the server says otherwise.
  const readOnly = project ? project.role === 'viewer' : true;
  // A viewer's unsendable edits can be discarded; an editor's every edit must not re-render all this.
  const isDiscardable = () => readOnly && runtime.engine.getStatus().pending > 0;
  const discardable = useSyncExternalStore(runtime.engine.subscribe, isDiscardable, isDiscardable);
  // A project just made from a Fountain file opens on its script, which imports the file.
  const [tab, setTab] = useState<Tab>(() => (hasPendingScriptImport(projectId) ? 'script' : 'shots'));
  const [notes, setNotes] = useState<NotesTarget | null>(null);
  // The call sheet shown: its day break's id (null: Day 1 above every break).
  const [callSheetDay, setCallSheetDay] = useState<string | null>(null);
  const user = useMemo(
    () => ({ name: session.user.name || session.user.email, color: userColor(session.user.id) }),
    [session],
  );
  const { scriptId } = useProjectScript({
    database: runtime.database,
    projectId,
    projectName: project?.name ?? '',
    synced,
    canWrite: !readOnly,
    open: tab === 'script',
  });

  const scriptSource = useMemo(
    () => (scriptId ? { serverUrl, token: session.token, projectId, scriptId } : null),
    [serverUrl, session.token, projectId, scriptId],
  );
  // The board's page eighths follow the script (PG7), from whichever reader of it is open.
  const scriptChanged = useSceneEighthsSync(runtime.database, !readOnly);
  // The script is read live only while a view derived from it is open (the editor reads its own).
  const scriptCues = useScriptCues(tab === 'script' ? null : scriptSource, scriptChanged);
  const sceneCast = useSceneCast(runtime.database, scriptCues);
  usePreloadScreenplayEditor();
  // The board says when its rows are shown; the other views don't hold back what waits for it.
  useEffect(() => {
    if (tab !== 'shots') markFirstViewShown();
  }, [tab]);

  useEffect(() => {
    document.title = project ? `${project.name} · Clapper` : 'Clapper';
  }, [project]);

  return (
    <AppFrame
      session={session}
      activeProjectId={projectId}
      title={
        <div className="workspace-title">
          <h1 data-testid="project-name">{project?.name ?? 'Project'}</h1>
          {readOnly && project && <span className="role-badge role-viewer">View only</span>}
          <nav className="tabs" role="tablist" aria-label="Workspace">
            {tabs.map(({ id, label }) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={tab === id}
                className={`tab${tab === id ? ' active' : ''}`}
                onClick={() => setTab(id)}
              >
                {label}
              </button>
            ))}
          </nav>
        </div>
      }
      actions={<EngineSyncPill engine={runtime.engine} />}
    >
      <div className={`workspace${notes ? ' with-notes' : ''}`}>
        <section className="workspace-main" aria-label={tabs.find((t) => t.id === tab)?.label}>
          {tab === 'cast' ? (
            <CastCrew database={runtime.database} readOnly={readOnly} cues={scriptCues} />
          ) : tab === 'breakdown' ? (
            <Breakdown database={runtime.database} readOnly={readOnly} cues={scriptCues} />
          ) : tab === 'call-sheets' ? (
            <CallSheets
              database={runtime.database}
              production={project?.name ?? 'Untitled'}
              readOnly={readOnly}
              sceneCast={sceneCast}
              day={callSheetDay}
              onDay={setCallSheetDay}
            />
          ) : tab === 'shots' ? (
            <Stripboard
              database={runtime.database}
              production={project?.name ?? 'Untitled'}
              readOnly={readOnly}
              onOpenNotes={setNotes}
              onOpenCallSheet={(bannerId) => {
                setCallSheetDay(bannerId);
                setTab('call-sheets');
              }}
              notesFor={notes?.recordId ?? null}
              scriptSource={scriptSource}
              sceneCast={sceneCast}
              holdsProject={synced || runtime.syncedBefore}
              onDiscardLocalChanges={
                discardable ? () => void discardLocalChanges(projectId, serverUrl, session.user.id) : undefined
              }
            />
          ) : scriptId ? (
            <ScreenplayEditorSlot
              key={scriptId}
              serverUrl={serverUrl}
              token={session.token}
              projectId={projectId}
              scriptId={scriptId}
              user={user}
              readOnly={readOnly}
              onScriptChanged={scriptChanged ?? undefined}
            />
          ) : (
            <div className="editor-placeholder muted" data-testid="script-pending">
              {readOnly
                ? 'No script has been started for this project yet.'
                : 'Preparing the script… (it appears after the first sync)'}
            </div>
          )}
        </section>
        {notes && (
          <aside className="notes-panel" aria-label={`Notes: ${notes.title}`}>
            <header className="notes-header">
              <h2>Notes · {notes.title}</h2>
              <button type="button" className="icon-btn" aria-label="Close notes" onClick={() => setNotes(null)}>
                ✕
              </button>
            </header>
            <NotesEditorSlot
              key={`${notes.table}/${notes.recordId}`}
              serverUrl={serverUrl}
              token={session.token}
              projectId={projectId}
              table={notes.table}
              recordId={notes.recordId}
              user={user}
              readOnly={readOnly}
            />
          </aside>
        )}
      </div>
    </AppFrame>
  );
}
