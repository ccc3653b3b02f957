'use client';
import type { Role } from '@clapper/schema';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import { useServerUrl } from '../lib/app-config.tsx';
import { apiErrorCode, apiErrorMessage, createApi } from '../lib/api.ts';
import {
  type CachedProject,
  readCachedProjects,
  rememberProject,
  useCachedProjects,
  writeCachedProjects,
} from '../lib/project-cache.ts';
import { type Session, clearSession } from '../lib/session-store.ts';
import { AppFrame } from './app-frame.tsx';
import {
  FountainDropZone,
  NewProjectFromFountainButton,
  useNewProjectFromFountain,
} from './new-project-from-fountain.tsx';

/** Refreshes the cached project list from the server; keeps the cache when offline. */
export function useProjectListRefresh(session: Session): { offline: boolean; refresh: () => void } {
  const serverUrl = useServerUrl();
  const [offline, setOffline] = useState(false);
  const [generation, setGeneration] = useState(0);
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
  }, [serverUrl, session, generation]);
  const refresh = useCallback(() => setGeneration((n) => n + 1), []);
  return { offline, refresh };
}

interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

/**
 * Who is in a project. Owners change roles, remove people, rename and delete the project;
 * anyone may leave. The server keeps the last owner (R8) and says so.
 */
function MembersPanel({
  session,
  project,
  onChanged,
}: {
  session: Session;
  project: CachedProject;
  onChanged: () => void;
}) {
  const serverUrl = useServerUrl();
  const api = useMemo(() => createApi(serverUrl, session.token), [serverUrl, session.token]);
  const [members, setMembers] = useState<Member[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [name, setName] = useState(project.name);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const isOwner = project.role === 'owner';

  const load = useCallback(() => {
    api.projects.members
      .query({ projectId: project.id })
      .then(setMembers)
      .catch((error: unknown) => setMessage({ ok: false, text: apiErrorMessage(error) }));
  }, [api, project.id]);
  useEffect(load, [load]);

  const run = async (action: () => Promise<unknown>, done: string, after: 'reload' | 'gone' = 'reload') => {
    setMessage(null);
    try {
      await action();
      setMessage({ ok: true, text: done });
      if (after === 'reload') load();
      onChanged();
    } catch (error) {
      setMessage({ ok: false, text: apiErrorMessage(error) });
    }
  };
  const forget = () =>
    writeCachedProjects(
      session.user.id,
      readCachedProjects(session.user.id).filter((p) => p.id !== project.id),
    );

  return (
    <div className="members-panel" aria-label={`Members of ${project.name}`} role="region">
      <table className="members-table">
        <tbody>
          {(members ?? []).map((member) => {
            const self = member.userId === session.user.id;
            return (
              <tr key={member.userId} data-member-email={member.email}>
                <td>
                  <strong>{member.name}</strong> {self && <span className="muted">(you)</span>}
                </td>
                <td className="muted">{member.email}</td>
                <td>
                  {isOwner ? (
                    <select
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      onChange={(event) =>
                        void run(
                          () =>
                            api.projects.setRole.mutate({
                              projectId: project.id,
                              userId: member.userId,
                              role: event.target.value as Role,
                            }),
                          `${member.email} is now ${event.target.value === 'viewer' ? 'a viewer' : `an ${event.target.value}`}.`,
                        )
                      }
                    >
                      <option value="owner">Owner</option>
                      <option value="editor">Editor</option>
                      <option value="viewer">Viewer</option>
                    </select>
                  ) : (
                    <span className={`role-badge role-${member.role}`}>{member.role}</span>
                  )}
                </td>
                <td>
                  {self ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() =>
                        void run(
                          async () => {
                            await api.projects.removeMember.mutate({ projectId: project.id, userId: member.userId });
                            forget();
                          },
                          `You left ${project.name}.`,
                          'gone',
                        )
                      }
                    >
                      Leave
                    </button>
                  ) : (
                    isOwner && (
                      <button
                        type="button"
                        className="btn btn-small"
                        aria-label={`Remove ${member.email}`}
                        onClick={() =>
                          void run(
                            () => api.projects.removeMember.mutate({ projectId: project.id, userId: member.userId }),
                            `${member.email} was removed.`,
                          )
                        }
                      >
                        Remove
                      </button>
                    )
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {isOwner && (
        <div className="project-admin">
          <form
            className="project-admin"
            onSubmit={(event) => {
              event.preventDefault();
              void run(() => api.projects.rename.mutate({ projectId: project.id, name }), `Renamed to ${name.trim()}.`);
            }}
          >
            <input
              aria-label="Project name"
              value={name}
              required
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
            />
            <button type="submit" className="btn btn-small">
              Rename
            </button>
          </form>
          {confirmDelete ? (
            <>
              <span>Delete {project.name} for everyone?</span>
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() =>
                  void run(
                    async () => {
                      await api.projects.delete.mutate({ projectId: project.id });
                      forget();
                    },
                    `${project.name} was deleted.`,
                    'gone',
                  )
                }
              >
                Delete for everyone
              </button>
              <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-small" onClick={() => setConfirmDelete(true)}>
              Delete project…
            </button>
          )}
        </div>
      )}
      {message && (
        <span className={message.ok ? 'form-ok' : 'form-error'} role="status">
          {message.text}
        </span>
      )}
    </div>
  );
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
  const { offline, refresh } = useProjectListRefresh(session);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [inviting, setInviting] = useState<string | null>(null);
  const [managing, setManaging] = useState<string | null>(null);
  const fromFountain = useNewProjectFromFountain(session);

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
    <AppFrame
      session={session}
      title={<h1>Projects</h1>}
      actions={
        offline ? (
          <span className="sync-pill sync-offline">
            <span className="sync-dot" />
            Offline
          </span>
        ) : null
      }
    >
      <FountainDropZone start={fromFountain.start} disabled={offline}>
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
            <NewProjectFromFountainButton start={fromFountain.start} busy={fromFountain.busy} disabled={offline} />
          </form>
          {(error ?? fromFountain.error) && (
            <p className="form-error" role="alert">
              {error ?? fromFountain.error}
            </p>
          )}
          {offline && (
            <p className="muted">
              The server is unreachable: showing your projects as last seen. Opening them works offline.
            </p>
          )}
          <ul className="project-list" data-testid="project-list">
            {projects.length === 0 && (
              <li className="muted project-empty">
                No projects yet. Create one above (or drop a Fountain script here), or ask a producer to invite you.
              </li>
            )}
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
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={offline}
                      onClick={() => setManaging(managing === project.id ? null : project.id)}
                    >
                      Members…
                    </button>
                    {project.role === 'owner' && (
                      <button
                        type="button"
                        className="btn btn-small"
                        onClick={() => setInviting(inviting === project.id ? null : project.id)}
                      >
                        Invite…
                      </button>
                    )}
                    <Link href={`/projects/${project.id}`} className="btn btn-small">
                      Open
                    </Link>
                  </div>
                  {inviting === project.id && <InviteForm session={session} project={project} />}
                  {managing === project.id && <MembersPanel session={session} project={project} onChanged={refresh} />}
                </li>
              ))}
          </ul>
        </div>
      </FountainDropZone>
    </AppFrame>
  );
}
