'use client';
import Link from 'next/link';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { apiErrorMessage, createApi } from '../lib/api.ts';
import { useServerUrl } from '../lib/app-config.tsx';
import { wipeLocalData } from '../lib/local-data.ts';
import { type PendingWork, pendingLocalWork } from '../lib/pending-work.ts';
import { useCachedProjects } from '../lib/project-cache.ts';
import { stopAllProjectRuntimes } from '../lib/project-runtime.ts';
import { type Session, clearSession, saveSession } from '../lib/session-store.ts';
import { initialsOf, userColor } from '../lib/user-color.ts';

interface AppFrameProps {
  session: Session;
  title: ReactNode;
  actions?: ReactNode;
  activeProjectId?: string;
  children: ReactNode;
}

/** The account's display name, what the others see in presence (auth.setName). */
function NameEditor({ session, onDone }: { session: Session; onDone: () => void }) {
  const serverUrl = useServerUrl();
  const [name, setName] = useState(session.user.name);
  const [error, setError] = useState<string | null>(null);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const user = await createApi(serverUrl, session.token).auth.setName.mutate({ name });
      saveSession({ ...session, user });
      onDone();
    } catch (failure) {
      setError(apiErrorMessage(failure));
    }
  };
  return (
    <form className="name-editor" onSubmit={save}>
      <input
        aria-label="Display name"
        value={name}
        maxLength={80}
        required
        autoFocus
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="btn btn-small">
        Save
      </button>
      <button type="button" className="btn-link" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

/**
 * Signing out with work only this device has says so first and lets the person stay: the
 * list names what would be lost. Signing out wipes this user's local copies (local-data.ts).
 */
function UnsyncedWorkDialog({
  pending,
  onStay,
  onDiscard,
}: {
  pending: PendingWork[];
  onStay: () => void;
  onDiscard: () => void;
}) {
  return (
    <div className="dialog-backdrop">
      <div
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="unsynced-title"
        aria-describedby="unsynced-body"
      >
        <h2 id="unsynced-title">Unsynced work on this device</h2>
        <div id="unsynced-body">
          <p>
            Signing out deletes this device's copy of your projects. These changes have not reached the server and would
            be lost:
          </p>
          <ul className="pending-list" data-testid="pending-work">
            {pending.map((item) => (
              <li key={item.label}>
                <strong>{item.label}</strong> <span className="muted">— {item.why}</span>
              </li>
            ))}
          </ul>
          <p className="muted">Stay signed in and reconnect to save them.</p>
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn btn-primary" autoFocus onClick={onStay}>
            Stay signed in
          </button>
          <button type="button" className="btn btn-danger" onClick={onDiscard}>
            Sign out and discard
          </button>
        </div>
      </div>
    </div>
  );
}

/** Sidebar (projects, account) + top bar (title, status) around every signed-in screen. */
export function AppFrame({ session, title, actions, activeProjectId, children }: AppFrameProps) {
  const projects = useCachedProjects(session.user.id);
  const serverUrl = useServerUrl();
  const [editingName, setEditingName] = useState(false);
  const [checking, setChecking] = useState(false);
  const [pending, setPending] = useState<PendingWork[] | null>(null);
  // On narrow screens (globals.css) the sidebar is a drawer behind the topbar's button.
  const [sidebarOpen, setSidebarOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  // Escape closes the drawer (on narrow screens it covers the view), back to its button.
  useEffect(() => {
    if (!sidebarOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      setSidebarOpen(false);
      toggleRef.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [sidebarOpen]);
  const finishSignOut = async () => {
    await stopAllProjectRuntimes();
    await wipeLocalData(session.user.id);
    clearSession();
    // Online, a full load leaves nothing of this session in memory. Offline that load (or
    // a client-side one, which falls back to it) would fail: the page already shows the
    // sign-in screen for a null session, so stay.
    if (navigator.onLine) window.location.assign('/');
  };
  const signOut = async () => {
    setChecking(true);
    try {
      const work = await pendingLocalWork(session, serverUrl);
      if (work.length > 0) setPending(work);
      else await finishSignOut();
    } finally {
      setChecking(false);
    }
  };
  return (
    <div className={`frame${sidebarOpen ? ' sidebar-open' : ''}`}>
      <aside className="sidebar" id="app-sidebar">
        <div className="sidebar-head">
          <Link href="/" className="brand" onClick={() => setSidebarOpen(false)}>
            <span className="brand-mark" aria-hidden="true">
              ▞
            </span>{' '}
            Clapper
          </Link>
          <button
            type="button"
            className="icon-btn sidebar-close"
            aria-label="Hide projects"
            onClick={() => setSidebarOpen(false)}
          >
            ✕
          </button>
        </div>
        {/* Following a link closes the drawer. */}
        <nav aria-label="Projects" className="sidebar-nav" onClick={() => setSidebarOpen(false)}>
          <div className="sidebar-section">Projects</div>
          <Link href="/" className={`sidebar-link${activeProjectId ? '' : ' active'}`}>
            All projects
          </Link>
          {[...projects]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((project) => (
              <Link
                key={project.id}
                href={`/projects/${project.id}`}
                className={`sidebar-link${project.id === activeProjectId ? ' active' : ''}`}
              >
                <span className="sidebar-link-name">{project.name}</span>
                {project.role !== 'owner' && <span className="role-tag">{project.role}</span>}
              </Link>
            ))}
        </nav>
        <div className="sidebar-user">
          <span className="avatar" style={{ background: userColor(session.user.id) }} aria-hidden="true">
            {initialsOf(session.user.name || session.user.email)}
          </span>
          {editingName ? (
            <NameEditor session={session} onDone={() => setEditingName(false)} />
          ) : (
            <button
              type="button"
              className="sidebar-user-name btn-link"
              title={`${session.user.email} — change your display name`}
              onClick={() => setEditingName(true)}
            >
              {session.user.name || session.user.email}
            </button>
          )}
          <button type="button" className="btn-link" disabled={checking} onClick={() => void signOut()}>
            {checking ? 'Checking…' : 'Sign out'}
          </button>
        </div>
        {pending && (
          <UnsyncedWorkDialog
            pending={pending}
            onStay={() => setPending(null)}
            onDiscard={() => void finishSignOut()}
          />
        )}
      </aside>
      {sidebarOpen && <div className="sidebar-backdrop" aria-hidden="true" onClick={() => setSidebarOpen(false)} />}
      <main className="main">
        <header className="topbar">
          <button
            type="button"
            ref={toggleRef}
            className="icon-btn sidebar-toggle"
            aria-label="Show projects"
            aria-controls="app-sidebar"
            aria-expanded={sidebarOpen}
            onClick={() => setSidebarOpen(true)}
          >
            ☰
          </button>
          <div className="topbar-title">{title}</div>
          <div className="topbar-actions">{actions}</div>
        </header>
        <div className="content">{children}</div>
      </main>
    </div>
  );
}
