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
import { type ValidatedChanges, describeIssues, recordIdPattern, validatePushChanges } from '@clapper/schema';
import { z } from 'zod';
import { SyncError } from './sync-error.ts';

declare const checked: unique symbol;
/** Marks a value that came out of this module's parsers. */
type Checked<T, Name extends string> = T & { readonly [checked]: Name };

export type ProjectId = Checked<string, 'ProjectId'>;

export type PullInput = Checked<{ readonly projectId: ProjectId; readonly lastPulledAt: number | null }, 'PullInput'>;

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

const pullFields = z.object(
  {
    lastPulledAt: lastPulledAtSchema,
    // Accepted and ignored while the schema version is 1 (U15).
    schemaVersion: z.number({ error: 'must be a number' }).int('must be an integer').optional(),
    migration: z.unknown().optional(),
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

/** `projectId`, when given, is what `projectIdOf(raw)` returned. */
export function parsePullRequest(raw: unknown, projectId: ProjectId = projectIdOf(raw)): PullInput {
  const { lastPulledAt } = fieldsOf(pullFields, raw);
  return { projectId, lastPulledAt } as PullInput;
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
