'use client';
// A Fountain file chosen on the project list for a new project waits here (this tab's
// sessionStorage, so a reload keeps it) until that project's script editor is open and
// can import it the way Import does: one editor update, one Yjs transaction.

export interface PendingScriptImport {
  fileName: string;
  text: string;
}

const keyOf = (projectId: string) => `clapper.pending-import.${projectId}`;

export function savePendingScriptImport(projectId: string, pending: PendingScriptImport): void {
  sessionStorage.setItem(keyOf(projectId), JSON.stringify(pending));
}

export function hasPendingScriptImport(projectId: string): boolean {
  return typeof sessionStorage !== 'undefined' && sessionStorage.getItem(keyOf(projectId)) !== null;
}

/** The pending import of `projectId`, removed as it is taken (so it is applied once). */
export function takePendingScriptImport(projectId: string): PendingScriptImport | null {
  const raw = sessionStorage.getItem(keyOf(projectId));
  if (raw === null) return null;
  sessionStorage.removeItem(keyOf(projectId));
  try {
    const value = JSON.parse(raw) as Partial<PendingScriptImport>;
    return typeof value.fileName === 'string' && typeof value.text === 'string'
      ? { fileName: value.fileName, text: value.text }
      : null;
  } catch {
    return null;
  }
}
