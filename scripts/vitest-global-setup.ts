import path from 'node:path';
import { repoRoot, startEmbeddedPostgres } from '@clapper/db';

// Tests use DATABASE_URL when set; otherwise one embedded PostgreSQL serves the run,
// and each test file creates its own database on it (createTestDatabase).
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL) return undefined;
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(repoRoot, '.data', 'test-postgres'),
    port: 54_330,
  });
  process.env.CLAPPER_TEST_ADMIN_URL = embedded.url;
  return () => embedded.stop();
}
