'use client';
import { usePathname } from 'next/navigation';
import { useEffect, useState } from 'react';
import { cachePage, registerOfflineShell, watchForNewerBuild } from '../lib/offline-shell.ts';

/**
 * Keeps the app shell available offline (public/sw.js): registers the service worker once,
 * and has it keep every page this tab shows, including those reached by client-side
 * navigation, which never pass through the worker as a page load. Pages open from the
 * worker's cache first; once it has seen a newer build deployed, this offers a reload (the
 * next load runs the newer build anyway).
 */
export function OfflineShell() {
  const pathname = usePathname();
  const [newerBuild, setNewerBuild] = useState<string | null>(null);
  useEffect(() => registerOfflineShell(), []);
  useEffect(() => watchForNewerBuild(setNewerBuild), []);
  useEffect(() => cachePage(pathname), [pathname]);
  if (!newerBuild) return null;
  return (
    <div className="newer-build" role="status">
      A new version of Clapper is ready.{' '}
      <button type="button" className="btn-link" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}
