import { type TableName, isTableName, recordIdPattern } from '@clapper/schema';
import { CollabError } from './collab-error.ts';

/** A script's doc: `project/<projectId>/script/<id>`; a note on any synced record: `project/<projectId>/note/<table>/<id>`. */
export type DocName =
  | { kind: 'script'; projectId: string; id: string; name: string }
  | { kind: 'note'; projectId: string; table: TableName; id: string; name: string };

function checkId(what: string, value: string): void {
  if (!recordIdPattern.test(value)) {
    throw new CollabError(
      'BAD_DOC_NAME',
      `${what} must match ${recordIdPattern} (got ${JSON.stringify(value.slice(0, 80))})`,
    );
  }
}

export function scriptDocName(projectId: string, id: string): string {
  checkId('projectId', projectId);
  checkId('script id', id);
  return `project/${projectId}/script/${id}`;
}

export function noteDocName(projectId: string, table: string, id: string): string {
  checkId('projectId', projectId);
  if (!isTableName(table))
    throw new CollabError('BAD_DOC_NAME', `note table ${JSON.stringify(table)} is not a synced table`);
  checkId('note record id', id);
  return `project/${projectId}/note/${table}/${id}`;
}

/** Parses a doc name; throws CollabError('BAD_DOC_NAME') naming what is wrong. */
export function parseDocName(name: string): DocName {
  const parts = name.split('/');
  const [prefix, projectId, kind] = parts;
  if (prefix !== 'project' || projectId === undefined || kind === undefined) {
    throw new CollabError(
      'BAD_DOC_NAME',
      `doc name must start with project/<projectId>/ (got ${JSON.stringify(name.slice(0, 120))})`,
    );
  }
  checkId('projectId', projectId);
  if (kind === 'script' && parts.length === 4) {
    const id = parts[3] as string;
    checkId('script id', id);
    return { kind: 'script', projectId, id, name };
  }
  if (kind === 'note' && parts.length === 5) {
    const table = parts[3] as string;
    const id = parts[4] as string;
    if (!isTableName(table))
      throw new CollabError('BAD_DOC_NAME', `note table ${JSON.stringify(table)} is not a synced table`);
    checkId('note record id', id);
    return { kind: 'note', projectId, table, id, name };
  }
  throw new CollabError(
    'BAD_DOC_NAME',
    `doc name must be project/<projectId>/script/<id> or project/<projectId>/note/<table>/<id> (got ${JSON.stringify(name.slice(0, 120))})`,
  );
}
