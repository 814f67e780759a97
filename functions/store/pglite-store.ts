// Embedded PostgreSQL (PGlite, WASM) for running without a database server: `npm start` with DATABASE_URL unset.
import { PGlite } from '@electric-sql/pglite';
import type { Migration } from './migrations.ts';
import { SqlStore, type SqlClient, type SqlSession } from './sql-store.ts';

export interface PgliteStoreOptions {
  /** A directory path, or `memory://` for a throwaway database. */
  dataDir: string;
  migrations: readonly Migration[];
}

export function pgliteClient(db: PGlite): SqlClient {
  const session: SqlSession = {
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
  // PGlite is one connection in this process: a session is that connection.
  return { ...session, session: (work) => work(session), close: () => db.close() };
}

// PostgreSQL's default 128 MB of shared buffers would all end up resident in the WASM heap; one small
// table needs far less. 16 MB takes the server's RSS from ~310 MB to ~190 MB for the database part.
const POSTGRESQL_CONF = ['shared_buffers=16MB'];

export async function createPgliteStore(options: PgliteStoreOptions): Promise<SqlStore> {
  const db = await PGlite.create(options.dataDir, { postgresqlconf: POSTGRESQL_CONF });
  return new SqlStore(pgliteClient(db), options.migrations);
}
