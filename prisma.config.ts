import { defineConfig } from 'prisma/config';

// Migrations are applied by packages/db's migrator (it needs no Prisma engine binary);
// this file lets the Prisma CLI (`prisma generate`, `prisma studio`) find the schema.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/clapper' },
});
