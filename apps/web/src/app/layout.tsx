import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { OfflineShell } from '../components/offline-shell.tsx';
import { AppConfigProvider } from '../lib/app-config.tsx';
import { readWebConfig } from '../lib/server-config.ts';
import './globals.css';

// SERVER_URL is read per request, so one build runs against any server.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'Clapper',
  description: 'Local-first shot lists, stripboards and screenplays for film crews.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  const { serverUrl } = readWebConfig();
  return (
    // The build this page belongs to (a page may come from the service worker's cache).
    <html lang="en" data-build={process.env.CLAPPER_BUILD_ID}>
      <body>
        <AppConfigProvider serverUrl={serverUrl}>{children}</AppConfigProvider>
        <OfflineShell />
      </body>
    </html>
  );
}
