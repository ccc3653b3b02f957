/**
 * The one place a pull or push request is checked. What comes out is a typed value the
 * service trusts (the brand says it came through here); nothing downstream checks a field
 * again. Checking goes field by field in a fixed order, so the caller can look at the
 * project id alone first (the api asks who the caller is there before naming any other
 * problem with the request) and hand it back instead of having it checked twice.
 *
 * The 10 MB body limit is the HTTP layer's, which reads the body: measuring it again here
 * would mean serializing the parsed request.
 */
import {
  type TableName,
  type ValidatedChanges,
  columnAddedIn,
  columnNamesAt,
  describeIssues,
  isTableName,
  recordIdPattern,
  schemaVersion as currentSchemaVersion,
  tableAddedIn,
  tableNamesAt,
  validatePushChanges,
} from '@clapper/schema';
import { z } from 'zod';
import { SyncError } from './sync-error.ts';

declare const checked: unique symbol;
/** Marks a value that came out of this module's parsers. */
type Checked<T, Name extends string> = T & { readonly [checked]: Name };

export type ProjectId = Checked<string, 'ProjectId'>;

/**
 * What a pull sends, per table: `since` the changes after `lastPulledAt`; `all-created`
 * every live record in `created` (a first pull; a table new to a migrating client);
 * `all-updated` every live record in `updated` plus the ids deleted since (a table that
 * gained columns the migrating client has never been sent).
 */
export type PullTableMode = 'since' | 'all-created' | 'all-updated';

export type PullInput = Checked<
  {
    readonly projectId: ProjectId;
    readonly lastPulledAt: number | null;
    /** The client's schema version: it is sent that version's tables and columns only. */
    readonly schemaVersion: number;
    /** Every table of `schemaVersion`, with what to send of it. */
    readonly tables: ReadonlyMap<TableName, PullTableMode>;
  },
  'PullInput'
>;

export type PushInput = Checked<
  {
    readonly projectId: ProjectId;
    readonly pushId: string;
    /** Informational (U15). */
    readonly lastPulledAt: number | null;
    readonly changes: ValidatedChanges;
    readonly recordCount: number;
  },
  'PushInput'
>;

/** A push as the queue and the statement see it (the project is the queue's lane). */
export interface ValidatedPush {
  readonly pushId: string;
  readonly changes: ValidatedChanges;
  readonly recordCount: number;
}

export const maxPushIdLength = 200;

export const projectIdSchema = z
  .string({ error: 'must be a string' })
  .regex(recordIdPattern, 'must be a project id (1-64 characters of A-Z, a-z, 0-9, "_", "-")');

const lastPulledAtSchema = z
  .number({ error: 'must be a number or null' })
  .int('must be an integer')
  .nonnegative('must not be negative')
  .nullable();

const object = { error: 'must be an object' };

const versionSchema = z
  .number({ error: 'must be a number' })
  .int('must be an integer')
  .min(1, 'must be at least 1')
  .max(currentSchemaVersion, `must be at most ${currentSchemaVersion}, the server's schema version`);

const namesSchema = z.array(z.string({ error: 'must be a string' }), { error: 'must be an array' }).max(1000);

// WatermelonDB's migration sync info (`getSyncChanges`): what the client's local
// migrations added since the schema version it last pulled with.
const migrationSchema = z
  .object(
    {
      from: versionSchema,
      tables: namesSchema,
      columns: z
        .array(z.object({ table: z.string({ error: 'must be a string' }), columns: namesSchema }, object), {
          error: 'must be an array',
        })
        .max(1000),
    },
    object,
  )
  .nullable()
  .optional();

const pullFields = z.object(
  {
    lastPulledAt: lastPulledAtSchema,
    // Absent: the current version (clients other than WatermelonDB's synchronize()).
    schemaVersion: versionSchema.optional(),
    migration: migrationSchema,
  },
  object,
);

const pushFields = z.object(
  {
    pushId: z
      .string({ error: 'must be a string' })
      .min(1, 'must not be empty')
      .max(maxPushIdLength, `must be at most ${maxPushIdLength} characters`),
    lastPulledAt: lastPulledAtSchema,
    changes: z.unknown(),
  },
  object,
);

const projectIdField = z.object({ projectId: projectIdSchema }, object);

function fieldsOf<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new SyncError('BAD_REQUEST', `invalid input: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

/** The request's project id, checked; throws BAD_REQUEST naming it. */
export function projectIdOf(raw: unknown): ProjectId {
  return fieldsOf(projectIdField, raw).projectId as ProjectId;
}

type Migration = NonNullable<z.infer<typeof migrationSchema>>;

/**
 * The tables of a pull and what to send of each (P9, P10). A migrating client gets, in
 * full, what it has not been sent yet: the tables and columns added after `from` (the
 * server knows them from the schema) and any the client lists, which must exist at its
 * version.
 */
function pullTablesOf(
  version: number,
  lastPulledAt: number | null,
  migration: Migration | null | undefined,
): Map<TableName, PullTableMode> {
  const tables = tableNamesAt(version);
  if (lastPulledAt === null) return new Map(tables.map((table) => [table, 'all-created']));
  const modes = new Map<TableName, PullTableMode>(tables.map((table) => [table, 'since']));
  if (!migration) return modes;
  if (migration.from >= version) {
    throw new SyncError(
      'BAD_REQUEST',
      `invalid input: migration.from (${migration.from}) must be below schemaVersion (${version})`,
    );
  }
  const known = (table: string, where: string): TableName => {
    if (!isTableName(table) || tableAddedIn(table) > version) {
      throw new SyncError(
        'BAD_REQUEST',
        `invalid input: ${where} names "${table}", not a synced table at schema version ${version}`,
      );
    }
    return table;
  };
  for (const table of tables) {
    if (tableAddedIn(table) > migration.from) modes.set(table, 'all-created');
    else if (columnNamesAt(table, version).some((column) => columnAddedIn(table, column) > migration.from)) {
      modes.set(table, 'all-updated');
    }
  }
  migration.tables.forEach((table, i) => modes.set(known(table, `migration.tables[${i}]`), 'all-created'));
  migration.columns.forEach(({ table: name, columns }, i) => {
    const table = known(name, `migration.columns[${i}].table`);
    const unknown = columns.find((column) => !columnNamesAt(table, version).includes(column));
    if (unknown !== undefined) {
      throw new SyncError(
        'BAD_REQUEST',
        `invalid input: migration.columns[${i}] names ${table}.${unknown}, not a column at schema version ${version}`,
      );
    }
    if (modes.get(table) === 'since') modes.set(table, 'all-updated');
  });
  return modes;
}

/** `projectId`, when given, is what `projectIdOf(raw)` returned. */
export function parsePullRequest(raw: unknown, projectId: ProjectId = projectIdOf(raw)): PullInput {
  const { lastPulledAt, schemaVersion = currentSchemaVersion, migration } = fieldsOf(pullFields, raw);
  const tables: ReadonlyMap<TableName, PullTableMode> = pullTablesOf(schemaVersion, lastPulledAt, migration);
  return { projectId, lastPulledAt, schemaVersion, tables } as PullInput;
}

/** `projectId`, when given, is what `projectIdOf(raw)` returned. Throws BAD_REQUEST or PAYLOAD_TOO_LARGE (U8). */
export function parsePushRequest(raw: unknown, projectId: ProjectId = projectIdOf(raw)): PushInput {
  const { pushId, lastPulledAt, changes } = fieldsOf(pushFields, raw);
  const validated = validatePushChanges(changes);
  if (!validated.ok) throw new SyncError(validated.code, validated.message);
  return {
    projectId,
    pushId,
    lastPulledAt,
    changes: validated.changes,
    recordCount: validated.recordCount,
  } as PushInput;
}
