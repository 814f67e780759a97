// The keyed hash that stands for a client in the database: HMAC-SHA256 of its address under the key
// that migration 0002 made (settings.client_hash_key), so every replica and restart agrees and the
// address itself is never stored. WebCrypto, the same on Node and Workers.
import type { SqlSession } from './sql-store.ts';

/** What a request from the machine itself (never rate limited, no address to key) is hashed as. */
const LOCAL_CLIENT = 'local';

export type ClientHasher = (client: string | null) => Promise<string>;

export async function loadClientHasher(db: SqlSession): Promise<ClientHasher> {
  const rows = await db.query<{ value: string }>(`SELECT value FROM settings WHERE name = 'client_hash_key'`);
  if (!rows[0]) throw new Error('settings.client_hash_key is missing: the migrations did not run');
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(rows[0].value), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return async (client) => {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(client ?? LOCAL_CLIENT)));
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  };
}
