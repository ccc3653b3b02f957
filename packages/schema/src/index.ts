export {
  type ColumnSpec,
  type ColumnType,
  type TableName,
  columnNamesOf,
  columnsOf,
  isTableName,
  schemaVersion,
  serverManagedColumns,
  syncedTables,
  tableNames,
} from './tables.ts';
export { CLOSE, type CloseCode } from './close-codes.ts';
export { describeIssues } from './describe-issues.ts';
export { pushLimits, recordIdPattern } from './limits.ts';
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
export { watermelonMigrations, watermelonSchema } from './watermelon-schema.ts';
export { type RecordOf, modelClasses, propertyNameOf } from './watermelon-models.ts';
export type { RecordPatch, RecordSnapshot, RecordValues } from './record-types.ts';
export {
  type NudgeClientMessage,
  type NudgeServerMessage,
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
