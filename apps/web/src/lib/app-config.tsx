'use client';
import { type ReactNode, createContext, useContext } from 'react';

const ServerUrlContext = createContext<string>('http://localhost:4000');

/** Carries SERVER_URL (read at request time by the root layout) to client components. */
export function AppConfigProvider({ serverUrl, children }: { serverUrl: string; children: ReactNode }) {
  return <ServerUrlContext.Provider value={serverUrl}>{children}</ServerUrlContext.Provider>;
}

export function useServerUrl(): string {
  return useContext(ServerUrlContext);
}
