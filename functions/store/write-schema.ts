// Rewrites schema.sql from migrations/ (run after adding a migration; a test fails until then):
//   npx tsx functions/store/write-schema.ts
import { writeFile } from 'node:fs/promises';
import { readMigrations, SCHEMA_FILE } from './migration-files.ts';
import { schemaScript } from './migrations.ts';

await writeFile(SCHEMA_FILE, schemaScript(await readMigrations()));
console.log(`wrote ${SCHEMA_FILE}`);
