/**
 * HTTPS with the user's certificate, in real containers started as users start them
 * (`docker run -p 127.0.0.1:P:80 -p 127.0.0.1:Q:443 -v secrets:/run/secrets:ro`), with
 * certificates made by openssl (a root CA, an intermediate, the site's) and curl, Node's
 * WebSocket client and Debian's openssl as clients.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildImages, exampleTag, removeAll, run, serving, waitExit } from '../helpers/docker.js';
import { request, waitFor200 } from '../helpers/http.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { setTimeout as sleep } from 'node:timers/promises';

let pki: TestPki;
beforeAll(async () => {
  await buildImages();
  pki = makePki();
});
afterAll(removeAll);

/** The settings of the HTTPS `docker run` line of docs/production.md, with the files mounted as secrets. */
const https = (extra: string[] = []) => ({
  publish: [443],
  host: { Binds: [`${pki.dir}:/run/secrets:ro`] },
  env: [
    'WHISK_HTTPS_PORT=443',
    'WHISK_SSL_CERTIFICATE_FILE=/run/secrets/site.crt',
    'WHISK_SSL_CERTIFICATE_KEY_FILE=/run/secrets/site.key',
    'WHISK_SSL_CERTIFICATE_CHAIN_FILE=/run/secrets/chain.crt',
    ...extra,
  ],
});

/** curl over HTTPS, verifying against the test's root CA; returns the status line and headers, and the body. */
async function curl(port: number, urlPath: string, args: string[] = []): Promise<{ ok: boolean; out: string; err: string }> {
  const r = await execa('curl', ['-sS', '-D', '-', '--cacert', pki.ca, ...args, `https://127.0.0.1:${port}${urlPath}`], { reject: false });
  return { ok: r.exitCode === 0, out: r.stdout, err: r.stderr };
}

describe('HTTPS with your certificate', () => {
  it('speaks HTTP/2 by ALPN with --http2 (h2c on the plain port), HTTP/1.1 without', async () => {
    const c = await serving(exampleTag('hello'), https(['WHISK_HTTP2=1']));
    const h2 = await curl(c.ports[443], '/', ['--http2']);
    expect(h2.err).toBe('');
    expect(h2.out).toMatch(/^HTTP\/2 200 /);
    expect(h2.out).toMatch(/Hello World!$/);
    const h2c = await execa('curl', ['-sS', '--http2-prior-knowledge', '-o', '/dev/null', '-w', '%{http_version}', `http://127.0.0.1:${c.port}/`]);
    expect(h2c.stdout).toBe('2');
    const plain = await serving(exampleTag('hello'), https());
    expect((await curl(plain.ports[443], '/', ['--http2'])).out).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('serves TLS 1.2 and 1.3 with the chain, refuses 1.1, redirects plain HTTP but the probes (--https-only), and sends HSTS on HTTPS only', async () => {
    const c = await serving(exampleTag('hello'), https(['WHISK_HTTPS_ONLY=1', 'WHISK_HSTS_POLICY=max-age=31536000; includeSubDomains']));
    const tls = c.ports[443];
    const r = await curl(tls, '/');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^HTTP\/1\.1 200 /);
    expect(r.out).toMatch(/^Strict-Transport-Security: max-age=31536000; includeSubDomains\r?$/m);
    expect(r.out).toMatch(/Hello World!$/);
    expect((await curl(tls, '/', ['--tlsv1.2', '--tls-max', '1.2'])).ok).toBe(true);
    expect((await curl(tls, '/', ['--tlsv1.3'])).ok).toBe(true);
    const old = await curl(tls, '/', ['--tlsv1', '--tls-max', '1.1']);
    expect(old.ok).toBe(false);
    expect(old.err).toMatch(/alert|protocol|version|no protocols/i);
    // Plain HTTP: a 301 to the same path, as sent, and query on HTTPS; the probes answer as they are.
    const plain = await execa('curl', ['-sS', '-D', '-', '-o', '/dev/null', `http://127.0.0.1:${c.port}/a%20b/c?x=1&y=%2F`]);
    expect(plain.stdout).toMatch(/^HTTP\/1\.1 301 /);
    expect(plain.stdout).toMatch(/^Location: https:\/\/127\.0\.0\.1\/a%20b\/c\?x=1&y=%2F\r?$/m);
    expect(plain.stdout).not.toMatch(/Strict-Transport-Security/);
    expect((await request(c.port, '/.whisk/ready')).status).toBe(200);
    expect((await request(c.port, '/.whisk/live')).status).toBe(200);
    // The access log says which requests came over TLS (combined format: the protocol last).
    let log = '';
    for (let i = 0; i < 20 && !/"GET \/ HTTP\/1\.1" 200 .* TLSv1\.3$/m.test(log); i++) {
      await sleep(100);
      log = await c.logs();
    }
    expect(log).toMatch(/"GET \/ HTTP\/1\.1" 200 .* TLSv1\.3$/m);
    expect(log).toMatch(/"GET \/ HTTP\/1\.1" 200 .* TLSv1\.2$/m);
    expect(log).toMatch(/"GET \/a%20b\/c\?x=1&y=%2F HTTP\/1\.1" 301 .* -$/m);
    // The chain as sent: the site's certificate, then the intermediate.
    const chain = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${tls}`, '-showcerts', '-servername', 'localhost'], { input: '', reject: false });
    expect(chain.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(chain.stdout).toMatch(/Verify return code: 19|Verify return code: 20|Verify return code: 0/);
  });

  it('requires a client certificate under --ssl-verify-client, from --ssl-ca-certificate-file, and nowhere else', async () => {
    const c = await serving(exampleTag('hello'), https(['WHISK_SSL_CA_CERTIFICATE_FILE=/run/secrets/client-ca.crt', 'WHISK_SSL_VERIFY_CLIENT=/private']));
    const tls = c.ports[443];
    const client = ['--cert', path.join(pki.dir, 'client.crt'), '--key', path.join(pki.dir, 'client.key')];
    expect((await curl(tls, '/')).out).toMatch(/^HTTP\/1\.1 200 /);
    expect((await curl(tls, '/private', client)).out).toMatch(/^HTTP\/1\.1 200 /);
    const without = await curl(tls, '/private');
    expect(without.out).not.toMatch(/^HTTP\/1\.1 200 /);
    // A certificate of another CA (the site's own, a server certificate) is refused too.
    const other = await curl(tls, '/private', ['--cert', path.join(pki.dir, 'other.crt'), '--key', path.join(pki.dir, 'other.key')]);
    expect(other.out).not.toMatch(/^HTTP\/1\.1 200 /);
  });

  it.each([
    [
      'a key of another certificate',
      ['WHISK_SSL_CERTIFICATE_KEY_FILE=/run/secrets/other.key'],
      /^whisk: error: --ssl-certificate-key-file \/run\/secrets\/other\.key: this key is not the one of the certificate in \/run\/secrets\/site\.crt/m,
    ],
    [
      'an expired certificate',
      ['WHISK_SSL_CERTIFICATE_FILE=/run/secrets/expired.crt', 'WHISK_SSL_CERTIFICATE_KEY_FILE=/run/secrets/expired.key'],
      /^whisk: error: --ssl-certificate-file \/run\/secrets\/expired\.crt: the certificate \(CN=expired\) expired on 2020-01-02/m,
    ],
    [
      'a chain out of order',
      ['WHISK_SSL_CERTIFICATE_CHAIN_FILE=/run/secrets/site.crt'],
      /^whisk: error: certificate 2 of the chain: it did not issue certificate 1 .*out of order/m,
    ],
    [
      'a key whisk cannot read',
      ['WHISK_SSL_CERTIFICATE_KEY_FILE=/run/secrets/private/site.key'],
      /^whisk: error: --ssl-certificate-key-file \/run\/secrets\/private\/site\.key: cannot be read by uid 1001 \(permission denied\)/m,
    ],
  ])('%s: refused before anything starts, exit 2, no key material in the log', async (_what, env, message) => {
    const secret = path.join(pki.dir, 'private');
    if (!fs.existsSync(secret)) {
      fs.mkdirSync(secret, { mode: 0o700 });
      fs.copyFileSync(path.join(pki.dir, 'site.key'), path.join(secret, 'site.key'));
    }
    const c = await run(exampleTag('hello'), https(env as string[]));
    expect(await waitExit(c.container)).toBe(2);
    const logs = await c.logs();
    expect(logs).toMatch(message as RegExp);
    expect(logs).not.toContain('PRIVATE KEY');
    expect(logs).not.toMatch(/AH\d{5}/);
  });

  it('WebSockets over TLS (wss://) echo through the FastAPI example', async () => {
    const c = await serving(exampleTag('fastapi'), https());
    await waitFor200(c.port, '/.whisk/ready', 60);
    const ca = fs.readFileSync(pki.ca);
    const echoed = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`wss://127.0.0.1:${c.ports[443]}/ws`, { ca });
      ws.once('open', () => ws.send('over tls'));
      ws.once('message', (m) => {
        resolve(String(m));
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(echoed).toBe('over tls');
    const page = await curl(c.ports[443], '/');
    expect(page.out).toMatch(/^HTTP\/1\.1 200 /);
  });
});
