'use client';
import { ProjectList } from '../components/project-list.tsx';
import { SignIn } from '../components/sign-in.tsx';
import { useSession } from '../lib/session-store.ts';

export default function HomePage() {
  const session = useSession();
  if (session === undefined) return <div className="boot" />;
  if (session === null) return <SignIn />;
  return <ProjectList session={session} />;
}
