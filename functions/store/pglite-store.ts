// Embedded PostgreSQL (PGlite, WASM) for running without a database server: `npm start` with DATABASE_URL unset.
import { PGlite } from '@electric-sql/pglite';
import { SqlStore, type SqlClient } from './sql-store.ts';

export interface PgliteStoreOptions {
  /** A directory path, or `memory://` for a throwaway database. */
  dataDir: string;
  schemaSql: string;
}

export function pgliteClient(db: PGlite): SqlClient {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
    close: () => db.close(),
  };
}

export async function createPgliteStore(options: PgliteStoreOptions): Promise<SqlStore> {
  return new SqlStore(pgliteClient(await PGlite.create(options.dataDir)), options.schemaSql);
}
