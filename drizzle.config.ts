import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/backends/postgres/schema.ts',
  out: './drizzle',
  strict: true,
  verbose: false,
});
