'use client';
import { ProjectList } from '../components/project-list.tsx';
import { SignIn } from '../components/sign-in.tsx';
import { useLocalDataReady } from '../lib/local-data.ts';
import { useSession } from '../lib/session-store.ts';

export default function HomePage() {
  const session = useSession();
  // A signed-out user's local copies are wiped before anything opens one (local-data.ts).
  const ready = useLocalDataReady();
  if (session === undefined || !ready) return <div className="boot" />;
  if (session === null) return <SignIn />;
  return <ProjectList session={session} />;
}
