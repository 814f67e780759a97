// The keyed hash that stands for a client in the database: HMAC-SHA256 of its address under the key
// that migration 0002 made (settings.client_hash_key), so every replica and restart agrees and the
// address itself is never stored. WebCrypto, the same on Node and Workers.
import type { SqlSession } from './sql-store.ts';

/** What a request from the machine itself (never rate limited, no address to key) is hashed as. */
const LOCAL_CLIENT = 'local';

/** Hashes kept for reuse: a few hundred kilobytes at most. */
const RECENT_CLIENTS = 4096;

export type ClientHasher = (client: string | null) => Promise<string>;

export async function loadClientHasher(db: SqlSession): Promise<ClientHasher> {
  const rows = await db.query<{ value: string }>(`SELECT value FROM settings WHERE name = 'client_hash_key'`);
  if (!rows[0]) throw new Error('settings.client_hash_key is missing: the migrations did not run');
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(rows[0].value), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const sign = async (client: string) => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(client)));
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  };
  // The same few clients send most predictions, and a WebCrypto signature (a job on another thread) costs
  // more than the rest of the insert: the latest clients' hashes are kept, up to a bound on memory.
  const recent = new Map<string, Promise<string>>();
  return (client) => {
    const name = client ?? LOCAL_CLIENT;
    let hash = recent.get(name);
    if (!hash) {
      if (recent.size >= RECENT_CLIENTS) recent.clear();
      recent.set(name, (hash = sign(name)));
      hash.catch(() => recent.delete(name));
    }
    return hash;
  };
}
