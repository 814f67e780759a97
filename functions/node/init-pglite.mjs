// Creates an empty PGlite data directory, then exits. Run as a child process by prepare-pglite.ts:
// initdb's temporary memory (~500 MB) then goes back to the system instead of staying in the server.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
await db.close();
