'use client';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';
import { useCachedProjects } from '../lib/project-cache.ts';
import { stopAllProjectRuntimes } from '../lib/project-runtime.ts';
import { type Session, clearSession } from '../lib/session-store.ts';
import { initialsOf, userColor } from '../lib/user-color.ts';

interface AppFrameProps {
  session: Session;
  title: ReactNode;
  actions?: ReactNode;
  activeProjectId?: string;
  children: ReactNode;
}

/** Sidebar (projects, account) + top bar (title, status) around every signed-in screen. */
export function AppFrame({ session, title, actions, activeProjectId, children }: AppFrameProps) {
  const projects = useCachedProjects(session.user.id);
  const router = useRouter();
  const signOut = async () => {
    await stopAllProjectRuntimes();
    clearSession();
    router.push('/');
  };
  return (
    <div className="frame">
      <aside className="sidebar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true">▞</span> Clapper
        </Link>
        <nav aria-label="Projects" className="sidebar-nav">
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
          <span className="sidebar-user-name" title={session.user.email}>
            {session.user.name || session.user.email}
          </span>
          <button type="button" className="btn-link" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </aside>
      <main className="main">
        <header className="topbar">
          <div className="topbar-title">{title}</div>
          <div className="topbar-actions">{actions}</div>
        </header>
        <div className="content">{children}</div>
      </main>
    </div>
  );
}
