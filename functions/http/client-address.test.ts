import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../node/testing.ts';
import { clientAddress, nodeClientKey, trustedProxiesFromEnv } from './client-address.ts';

describe('TRUSTED_PROXIES', () => {
  it('reads addresses and CIDR ranges, IPv4 and IPv6, and trusts nothing when unset', () => {
    const trusted = trustedProxiesFromEnv('10.89.0.1, 172.16.0.0/12 fd00::/8');
    for (const a of ['10.89.0.1', '::ffff:10.89.0.1', '172.16.0.1', '172.31.255.254', 'fd00::7']) expect(trusted.has(a), a).toBe(true);
    for (const a of ['10.89.0.2', '172.32.0.1', '2001:db8::1', '127.0.0.1', 'nonsense']) expect(trusted.has(a), a).toBe(false);
    for (const value of [undefined, '', ' , ']) expect(trustedProxiesFromEnv(value).size).toBe(0);
  });

  it('refuses anything but addresses and ranges, naming the setting', () => {
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/8/8', '::1/129', '10.0.0.0/1e1', '*']) {
      expect(() => trustedProxiesFromEnv(bad), bad).toThrow(/TRUSTED_PROXIES/);
    }
  });
});

describe('clientAddress', () => {
  const proxy = trustedProxiesFromEnv('10.89.0.1,10.0.0.0/24');
  const none = trustedProxiesFromEnv(undefined);

  it('is the peer unless the peer is a trusted proxy', () => {
    expect(clientAddress('203.0.113.7', '198.51.100.1', proxy)).toBe('203.0.113.7');
    expect(clientAddress('10.89.0.1', '198.51.100.1', none)).toBe('10.89.0.1');
    expect(clientAddress('::ffff:203.0.113.7', undefined, none)).toBe('203.0.113.7');
    expect(clientAddress(undefined, '198.51.100.1', proxy)).toBeUndefined();
  });

  it('takes the nearest untrusted hop, so a client cannot prepend its way past its proxy', () => {
    expect(clientAddress('10.89.0.1', '198.51.100.1', proxy)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.89.0.1', '1.1.1.1, 198.51.100.1', proxy)).toBe('198.51.100.1');
    // Two proxies of our own in a row.
    expect(clientAddress('10.89.0.1', '198.51.100.1, 10.0.0.5', proxy)).toBe('198.51.100.1');
    expect(clientAddress('10.89.0.1', '[2001:db8::1]:443, 198.51.100.1:5123', proxy)).toBe('198.51.100.1');
    // Only trusted hops: the farthest one. No header: the proxy itself.
    expect(clientAddress('10.89.0.1', '10.0.0.9', proxy)).toBe('10.0.0.9');
    expect(clientAddress('10.89.0.1', undefined, proxy)).toBe('10.89.0.1');
    // Garbage where an address should be: the hop that passed it on.
    expect(clientAddress('10.89.0.1', 'evil, 10.0.0.9', proxy)).toBe('10.0.0.9');
    expect(clientAddress('10.89.0.1', 'unknown', proxy)).toBe('10.89.0.1');
  });
});

describe('nodeClientKey', () => {
  // What @hono/node-server hands the app as its env: the request's socket.
  const keyFor = async (peer: string, forwardedFor?: string) => {
    const app = new Hono().get('/', (c) => c.json(nodeClientKey(trustedProxiesFromEnv('10.89.0.1'))(c)));
    const env = { incoming: { socket: { remoteAddress: peer, remotePort: 40000, remoteFamily: peer.includes(':') ? 'IPv6' : 'IPv4' } } };
    const res = await app.request('/', { headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }, env);
    return res.json();
  };

  it("is the client's address, forwarded only by a trusted proxy, and null for the machine itself", async () => {
    expect(await keyFor('203.0.113.7', '198.51.100.1')).toBe('203.0.113.7');
    expect(await keyFor('10.89.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(await keyFor('127.0.0.1')).toBeNull();
    expect(await keyFor('::1')).toBeNull();
    expect(await keyFor('10.89.0.1', '127.0.0.1')).toBeNull();
  });
});

describe('the rate limit behind a trusted proxy, on the real server', () => {
  let server: TestServer;
  // The proxy is this machine: a loopback peer, never limited itself, forwarding for its clients.
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMIT_PER_MINUTE: '3', TRUSTED_PROXIES: '127.0.0.1' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const predict = (forwardedFor?: string) =>
    fetch(`${server.url}/api/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: JSON.stringify({ pixels: Array.from({ length: 784 }, (_, i) => (i % 28 === 14 && i > 112 && i < 672 ? 1 : 0)) }),
    }).then((r) => r.status);

  it('gives each forwarded client its own budget, and a prepended address changes nothing', async () => {
    const first = [];
    for (let i = 0; i < 4; i++) first.push(await predict('203.0.113.1'));
    expect(first).toEqual([200, 200, 200, 429]);
    expect(await predict('203.0.113.2')).toBe(200);
    expect(await predict('198.51.100.99, 203.0.113.1')).toBe(429);
    // The proxy's own requests (no header) come from loopback: never limited.
    for (let i = 0; i < 4; i++) expect(await predict()).toBe(200);
  });
});
