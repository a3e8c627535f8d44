/**
 * --trust-proxy-header / --trust-proxy, by what the application and the access log see.
 * The trusted proxy is 127.0.0.2: requests from it carry the headers a balancer sets; the
 * same headers from 127.0.0.1 (an untrusted peer: a client reaching the container directly)
 * must change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { rawGet } from '../helpers/http.js';
import { setTimeout as sleep } from 'node:timers/promises';

afterEach(stopAll);

const KEYS = [
  'REMOTE_ADDR',
  'wsgi.url_scheme',
  'HTTP_HOST',
  'SERVER_PORT',
  'SCRIPT_NAME',
  'PATH_INFO',
  'HTTP_X_FORWARDED_FOR',
  'HTTP_X_FORWARDED_PROTO',
  'HTTP_X_SCHEME',
  'HTTP_X_FORWARDED_HOST',
  'HTTP_X_REAL_IP',
  'HTTP_X_FORWARDED_PREFIX',
  'HTTP_X_SCRIPT_NAME',
  'HTTP_X_REQUEST_ID',
];
const APP = [
  'import json',
  'def application(environ, start_response):',
  `    seen = {k: environ.get(k) for k in ${JSON.stringify(KEYS)}}`,
  "    seen['url'] = environ['wsgi.url_scheme'] + '://' + environ['HTTP_HOST'] + environ['SCRIPT_NAME'] + environ['PATH_INFO']",
  "    start_response('200 OK', [('Content-Type', 'application/json')])",
  '    return [json.dumps(seen).encode()]',
  '',
].join('\n');

type Seen = Record<string, string | null> & { responseRequestId?: string | string[] };

/** GET from a chosen local address (the peer Apache sees), with these headers: what the app saw. */
async function get(port: number, from: string, urlPath: string, headers: Record<string, string>): Promise<Seen> {
  const r = await rawGet(port, urlPath, headers, from);
  if (r.status !== 200) throw new Error(`${r.status}: ${r.body.toString()}`);
  return { ...JSON.parse(r.body.toString()), responseRequestId: r.headers['x-request-id'] };
}

const BALANCER = {
  'X-Forwarded-For': '203.0.113.9, 198.51.100.7',
  'X-Forwarded-Proto': 'https',
  'X-Scheme': 'https',
  'X-Forwarded-Host': 'shop.example.com',
  'X-Forwarded-Prefix': '/shop',
  'X-Real-IP': '192.0.2.66',
  'X-Request-ID': 'lb-7f3a9c1e-0001',
};
const TRUST = [
  '--trust-proxy',
  '127.0.0.2',
  '--trust-proxy',
  '198.51.100.0/24',
  ...['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host', 'X-Forwarded-Prefix', 'X-Request-ID'].flatMap((h) => ['--trust-proxy-header', h]),
];

describe('behind a trusted proxy', () => {
  it('the application sees the client, the scheme, the host and the prefix the balancer saw', async () => {
    const s = await start(tempApp('proxy', APP), [...TRUST, 'wsgi.py']);
    const seen = await get(s.port, '127.0.0.2', '/cart/items?x=1', BALANCER);
    // 198.51.100.7 is a trusted proxy too, so the client is the address before it.
    expect(seen.REMOTE_ADDR).toBe('203.0.113.9');
    expect(seen.url).toBe('https://shop.example.com/shop/cart/items');
    expect(seen.SCRIPT_NAME).toBe('/shop');
    expect(seen.PATH_INFO).toBe('/cart/items');
    // A synonym the balancer did not promise (X-Scheme) and a second client header are gone.
    expect(seen.HTTP_X_SCHEME).toBeNull();
    expect(seen.HTTP_X_REAL_IP).toBeNull();
    // The balancer's request ID is kept: in the environ, the response and the access log.
    expect(seen.HTTP_X_REQUEST_ID).toBe('lb-7f3a9c1e-0001');
    expect(seen.responseRequestId).toBe('lb-7f3a9c1e-0001');
    await sleep(300);
    const line = s
      .output()
      .split('\n')
      .find((l) => l.includes('/cart/items'));
    expect(line).toMatch(/^203\.0\.113\.9 .* lb-7f3a9c1e-0001 [0-9a-f]{32}$/);
  });

  it('headers from a peer that is not a trusted proxy change nothing, and are removed', async () => {
    const s = await start(tempApp('proxy', APP), [...TRUST, 'wsgi.py']);
    const seen = await get(s.port, '127.0.0.1', '/cart', BALANCER);
    expect(seen.REMOTE_ADDR).toBe('127.0.0.1');
    expect(seen.url).toBe(`http://127.0.0.1:${s.port}/cart`);
    for (const k of [
      'HTTP_X_FORWARDED_FOR',
      'HTTP_X_FORWARDED_PROTO',
      'HTTP_X_SCHEME',
      'HTTP_X_FORWARDED_HOST',
      'HTTP_X_FORWARDED_PREFIX',
      'HTTP_X_SCRIPT_NAME',
      'HTTP_X_REAL_IP',
    ]) {
      expect(seen[k], k).toBeNull();
    }
    // The client's own request ID is replaced by mod_unique_id's.
    expect(seen.HTTP_X_REQUEST_ID).not.toBe('lb-7f3a9c1e-0001');
    expect(seen.HTTP_X_REQUEST_ID).toMatch(/^[A-Za-z0-9@_-]{20,}$/);
    expect(seen.responseRequestId).toBe(seen.HTTP_X_REQUEST_ID);
    await sleep(300);
    const line = s
      .output()
      .split('\n')
      .find((l) => l.includes('GET /cart '));
    expect(line).toMatch(/^127\.0\.0\.1 /);
  });

  it('a malformed request ID from a trusted proxy is replaced', async () => {
    const s = await start(tempApp('proxy', APP), [...TRUST, 'wsgi.py']);
    const seen = await get(s.port, '127.0.0.2', '/', { 'X-Request-ID': 'a b"c' });
    expect(seen.HTTP_X_REQUEST_ID).toMatch(/^[A-Za-z0-9@_-]{20,}$/);
  });

  it('without --trust-proxy-header, forwarded headers are only headers', async () => {
    const s = await start(tempApp('proxy', APP), ['wsgi.py']);
    const seen = await get(s.port, '127.0.0.2', '/x', BALANCER);
    expect(seen.REMOTE_ADDR).toBe('127.0.0.2');
    expect(seen.url).toBe(`http://127.0.0.1:${s.port}/x`);
    expect(seen.HTTP_X_FORWARDED_FOR).toBe(BALANCER['X-Forwarded-For']);
  });
});
