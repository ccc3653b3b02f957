'use client';
import { usePathname } from 'next/navigation';
import { useEffect } from 'react';
import { cachePage, registerOfflineShell } from '../lib/offline-shell.ts';

/**
 * Keeps the app shell available offline (public/sw.js): registers the service worker once,
 * and has it keep every page this tab shows, including those reached by client-side
 * navigation, which never pass through the worker as a page load.
 */
export function OfflineShell() {
  const pathname = usePathname();
  useEffect(() => registerOfflineShell(), []);
  useEffect(() => cachePage(pathname), [pathname]);
  return null;
}
