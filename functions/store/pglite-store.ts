// Embedded PostgreSQL (PGlite, WASM) for running without a database server: `npm start` with DATABASE_URL unset.
import { PGlite } from '@electric-sql/pglite';
import { SqlStore } from './sql-store.ts';

export interface PgliteStoreOptions {
  /** A directory path, or `memory://` for a throwaway database. */
  dataDir: string;
  schemaSql: string;
}

export async function createPgliteStore(options: PgliteStoreOptions): Promise<SqlStore> {
  const db = await PGlite.create(options.dataDir);
  return new SqlStore(
    {
      async query<T>(sql: string, params: unknown[] = []) {
        const result = await db.query<T>(sql, params);
        return result.rows;
      },
      async exec(script: string) {
        await db.exec(script);
      },
      close: () => db.close(),
    },
    options.schemaSql,
  );
}
