// Who a request comes from, for the rate limit. X-Forwarded-For can be written by anyone, so it is read
// only when the peer is a proxy the operator named (TRUSTED_PROXIES); the client is then the nearest
// address in it that is not one of those proxies. Nothing is trusted by default. Node only.
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { BlockList, isIP } from 'node:net';
import { isLoopback } from './rate-limit.ts';

export interface TrustedProxies {
  has(address: string): boolean;
  readonly size: number;
}

/** `::ffff:10.0.0.1` is 10.0.0.1; `1.2.3.4:80` and `[2001:db8::1]:80` (some proxies add the port) lose it. */
function normalise(address: string): string {
  let a = address.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1] : a;
}

/** TRUSTED_PROXIES: addresses and CIDR ranges, separated by commas or spaces; unset or empty trusts none. */
export function trustedProxiesFromEnv(value: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (value ?? '').split(/[\s,]+/).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = family === 6 ? 128 : 32;
    if (!family || rest.length > 0 || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max && /^\d+$/.test(prefix)))) {
      throw new Error(`TRUSTED_PROXIES must list IP addresses or CIDR ranges (10.0.0.1, 172.16.0.0/12, fd00::/8), got ${entry}`);
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return {
    has(address) {
      const a = normalise(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
    },
    size: entries.length,
  };
}

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then X-Forwarded-For read from the
 * right (each proxy appends the address it received the request from), skipping trusted proxies. A client
 * can prepend anything, but never past the address its first trusted proxy appended.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: TrustedProxies): string | undefined {
  if (peer === undefined || trusted.size === 0 || !trusted.has(peer) || !forwardedFor) return peer && normalise(peer);
  let nearest = normalise(peer);
  const hops = forwardedFor.split(',').map(normalise);
  for (let i = hops.length - 1; i >= 0; i--) {
    // Not an address: whoever sent it is the last one known, the hop that passed it on.
    if (!isIP(hops[i])) return nearest;
    nearest = hops[i];
    if (!trusted.has(nearest)) return nearest;
  }
  return nearest;
}

/**
 * The rate limiter's key on Node (@hono/node-server): the client's address, the peer's or the one a
 * trusted proxy forwarded for; null for the machine itself, which is never limited.
 */
export function nodeClientKey(trusted: TrustedProxies): (c: Context) => string | null {
  return (c) => {
    const address = clientAddress(getConnInfo(c).remote.address, c.req.header('x-forwarded-for'), trusted);
    return isLoopback(address) ? null : (address ?? 'unknown');
  };
}
