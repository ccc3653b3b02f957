// Connection-level failures (PostgreSQL down, restarting, database gone), by Prisma code,
// PostgreSQL SQLSTATE or Node errno. Clients should retry these, not report a bug.
const unavailableCodes = new Set([
  'P1001', // can't reach database server
  'P1002', // server timed out
  'P1003', // database does not exist
  'P1017', // server closed the connection
  'P2024', // timed out fetching a connection from the pool
  'P2028', // transaction API error: e.g. no connection to start the transaction in time (pool busy)
  '3D000', // invalid_catalog_name
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
]);

const unavailableMessages =
  /Can't reach database server|does not exist on the database server|Connection terminated|connection timeout|terminating connection/i;

/** True when `error` (or something in its cause chain) says the database can't be reached. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string' && (unavailableCodes.has(code) || code.startsWith('08'))) return true;
  if (typeof message === 'string' && unavailableMessages.test(message)) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
