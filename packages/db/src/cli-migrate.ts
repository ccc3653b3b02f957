import { defaultLogger } from '@clapper/log';
import { migrate } from './migrate.ts';

// `npm run db:migrate`: applies pending migrations to DATABASE_URL.
const url = process.env.DATABASE_URL;
if (!url) {
  defaultLogger().error('DATABASE_URL is not set');
  process.exit(1);
}
const ran = await migrate(url);
defaultLogger().info(ran.length ? `applied ${ran.join(', ')}` : 'database is up to date');
