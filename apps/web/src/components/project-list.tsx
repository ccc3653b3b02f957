'use client';
import type { Role } from '@clapper/schema';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useState } from 'react';
import { useServerUrl } from '../lib/app-config.tsx';
import { apiErrorCode, apiErrorMessage, createApi } from '../lib/api.ts';
import { type CachedProject, rememberProject, useCachedProjects, writeCachedProjects } from '../lib/project-cache.ts';
import { type Session, clearSession } from '../lib/session-store.ts';
import { AppFrame } from './app-frame.tsx';

/** Refreshes the cached project list from the server; keeps the cache when offline. */
export function useProjectListRefresh(session: Session): { offline: boolean } {
  const serverUrl = useServerUrl();
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    let cancelled = false;
    createApi(serverUrl, session.token)
      .projects.list.query()
      .then((projects) => {
        if (cancelled) return;
        setOffline(false);
        writeCachedProjects(session.user.id, projects);
      })
      .catch((error: unknown) => {
        if (cancelled) return;
        if (apiErrorCode(error) === 'UNAUTHORIZED') clearSession();
        else setOffline(true);
      });
    return () => {
      cancelled = true;
    };
  }, [serverUrl, session]);
  return { offline };
}

function InviteForm({ session, project }: { session: Session; project: CachedProject }) {
  const serverUrl = useServerUrl();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const invite = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await createApi(serverUrl, session.token).projects.addMember.mutate({ projectId: project.id, email, role });
      setMessage({ ok: true, text: `${email} can now open ${project.name} as ${role}.` });
      setEmail('');
    } catch (error) {
      setMessage({ ok: false, text: apiErrorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="invite-form" onSubmit={invite} aria-label={`Invite to ${project.name}`}>
      <input
        type="email"
        required
        aria-label="Invite email"
        placeholder="colleague@studio.com"
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <select aria-label="Invite role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
        <option value="editor">Editor</option>
        <option value="viewer">Viewer</option>
        <option value="owner">Owner</option>
      </select>
      <button type="submit" className="btn" disabled={busy}>
        Invite
      </button>
      {message && (
        <span className={message.ok ? 'form-ok' : 'form-error'} role="status">
          {message.text}
        </span>
      )}
    </form>
  );
}

export function ProjectList({ session }: { session: Session }) {
  const serverUrl = useServerUrl();
  const router = useRouter();
  const projects = useCachedProjects(session.user.id);
  const { offline } = useProjectListRefresh(session);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const project = await createApi(serverUrl, session.token).projects.create.mutate({ name });
      rememberProject(session.user.id, { ...project, role: 'owner' });
      setName('');
      router.push(`/projects/${project.id}`);
    } catch (failure) {
      setError(apiErrorMessage(failure));
    }
  };

  return (
    <AppFrame session={session} title={<h1>Projects</h1>} actions={offline ? <span className="sync-pill sync-offline"><span className="sync-dot" />Offline</span> : null}>
      <div className="page">
        <form className="create-project" onSubmit={create}>
          <input
            aria-label="New project name"
            placeholder="New project name, e.g. “Night Harbour”"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="btn btn-primary" disabled={offline}>
            Create project
          </button>
        </form>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {offline && <p className="muted">The server is unreachable: showing your projects as last seen. Opening them works offline.</p>}
        <ul className="project-list" data-testid="project-list">
          {projects.length === 0 && <li className="muted project-empty">No projects yet. Create one above, or ask a producer to invite you.</li>}
          {[...projects]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((project) => (
              <li key={project.id} className="project-item" data-project-id={project.id}>
                <div className="project-main">
                  <Link href={`/projects/${project.id}`} className="project-name">
                    {project.name}
                  </Link>
                  <span className={`role-badge role-${project.role}`}>{project.role}</span>
                </div>
                <div className="project-actions">
                  {project.role === 'owner' && (
                    <button type="button" className="btn btn-small" onClick={() => setInviting(inviting === project.id ? null : project.id)}>
                      Invite…
                    </button>
                  )}
                  <Link href={`/projects/${project.id}`} className="btn btn-small">
                    Open
                  </Link>
                </div>
                {inviting === project.id && <InviteForm session={session} project={project} />}
              </li>
            ))}
        </ul>
      </div>
    </AppFrame>
  );
}
