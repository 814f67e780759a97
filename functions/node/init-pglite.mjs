// Creates a PGlite data directory, then exits. Run as a child process by prepare-pglite.ts, so the
// temporary memory of initialisation (~500 MB for initdb) goes back to the system instead of staying
// in the server. The first run keeps a gzipped copy of the fresh cluster as a template; later fresh
// directories start from it in under a second instead of running initdb again (~3 s or more).
// usage: node init-pglite.mjs DATA_DIR TEMPLATE_FILE
import { PGlite } from '@electric-sql/pglite';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [dataDir, template] = process.argv.slice(2);

if (existsSync(template)) {
  const db = await PGlite.create(dataDir, { loadDataDir: new Blob([readFileSync(template)]) });
  await db.close();
} else {
  const db = await PGlite.create(dataDir);
  try {
    const dump = await db.dumpDataDir('gzip');
    mkdirSync(path.dirname(template), { recursive: true });
    const partial = `${template}.${process.pid}`;
    writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
    renameSync(partial, template);
  } catch (error) {
    console.warn(`could not keep a template of the embedded database: ${error.message}`);
  }
  await db.close();
}
