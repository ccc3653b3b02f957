export {
  type ColumnSpec,
  type ColumnType,
  type TableName,
  columnAddedIn,
  columnNamesAt,
  columnNamesOf,
  columnsOf,
  isTableName,
  schemaVersion,
  serverManagedColumns,
  syncedTables,
  tableAddedIn,
  tableNames,
  tableNamesAt,
} from './tables.ts';
export { CLOSE, type CloseCode } from './close-codes.ts';
export { describeIssues } from './describe-issues.ts';
export { nudgeChangesLimits, pushLimits, recordIdPattern, syncSocketLimits } from './limits.ts';
export {
  type RequestSocketTicketOptions,
  SocketTicketError,
  requestSocketTicket,
  socketTicketParam,
  socketTicketProcedure,
} from './socket-ticket.ts';
export {
  type PushValidationResult,
  type RecordWrite,
  type TableWrites,
  type ValidatedChanges,
  validatePushChanges,
} from './push-validator.ts';
export { watermelonMigrations, watermelonSchema, watermelonSchemaAt } from './watermelon-schema.ts';
export { type RecordOf, modelClasses, propertyNameOf } from './watermelon-models.ts';
export type { RecordPatch, RecordSnapshot, RecordValues } from './record-types.ts';
export {
  type NudgeChanged,
  type NudgeClientMessage,
  type NudgeServerMessage,
  type SocketPush,
  type PullMigration,
  type PullRequest,
  type PullResponse,
  type PushRequest,
  type PushResponse,
  type RawRecord,
  type Role,
  type SyncChanges,
  type TableChanges,
  roles,
} from './protocol.ts';
