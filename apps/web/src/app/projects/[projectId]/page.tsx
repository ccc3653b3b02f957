'use client';
import dynamic from 'next/dynamic';
import { use } from 'react';
import { SignIn } from '../../../components/sign-in.tsx';
import { useLocalDataReady } from '../../../lib/local-data.ts';
import { useSession } from '../../../lib/session-store.ts';

// The workspace opens IndexedDB and sockets: browser only.
const Workspace = dynamic(() => import('../../../workspace/workspace.tsx').then((m) => m.Workspace), {
  ssr: false,
  loading: () => <div className="boot" />,
});

export default function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = use(params);
  const session = useSession();
  const ready = useLocalDataReady();
  if (session === undefined || !ready) return <div className="boot" />;
  if (session === null) return <SignIn />;
  return <Workspace session={session} projectId={decodeURIComponent(projectId)} />;
}
