'use client';
import { use, useEffect, useState } from 'react';
import { SignIn } from '../../../components/sign-in.tsx';
import { preloadLocalCopy } from '../../../lib/local-copy-preload.ts';
import { useLocalDataReady } from '../../../lib/local-data.ts';
import { useSession } from '../../../lib/session-store.ts';
import type { Workspace as WorkspaceType } from '../../../workspace/workspace.tsx';

type WorkspaceComponent = typeof WorkspaceType;

// The workspace opens IndexedDB and sockets: browser only, in its own chunks. They are
// fetched as soon as this page's code runs, alongside hydration rather than after it, and
// the workspace is rendered as plain state once they are in, not through a Suspense
// boundary (next/dynamic): React holds a boundary's reveal until 300 ms after its
// fallback showed (its fallback throttle), which every open of a project spent waiting.
// The project's local copy is read out of IndexedDB meanwhile (local-copy-preload.ts).
let loadedWorkspace: WorkspaceComponent | null = null;
const workspaceLoading: Promise<WorkspaceComponent> | null =
  typeof window === 'undefined'
    ? null
    : import('../../../workspace/workspace.tsx').then((module) => {
        // On the performance timeline for the board benchmark's phases of an open.
        performance.mark('clapper:workspace-code');
        return (loadedWorkspace = module.Workspace);
      });
preloadLocalCopy();

function useWorkspaceComponent(): WorkspaceComponent | null {
  const [component, setComponent] = useState<WorkspaceComponent | null>(() => loadedWorkspace);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    if (component) return;
    let live = true;
    workspaceLoading?.then(
      (loaded) => live && setComponent(() => loaded),
      (error: unknown) => live && setFailure(error ?? new Error('The workspace failed to load')),
    );
    return () => {
      live = false;
    };
  }, [component]);
  // A chunk that failed to load goes to the error boundary, as it did through next/dynamic.
  if (failure) throw failure;
  return component;
}

export default function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = use(params);
  const session = useSession();
  const ready = useLocalDataReady();
  const Workspace = useWorkspaceComponent();
  if (session === undefined || !ready) return <div className="boot" />;
  if (session === null) return <SignIn />;
  if (!Workspace) return <div className="boot" />;
  return <Workspace session={session} projectId={decodeURIComponent(projectId)} />;
}
