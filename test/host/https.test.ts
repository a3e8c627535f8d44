/**
 * HTTPS on this machine (Debian's Apache and mod_ssl): what WSGI and ASGI applications see of a
 * TLS request. In containers, with the clients and the bad files: image/https.test.ts.
 */
import { execa } from 'execa';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { fixture } from '../helpers/files.js';

afterEach(stopAll);
let pki: TestPki;
beforeAll(() => {
  pki = makePki();
});

const WSGI = fixture('https-wsgi.py');

const ASGI = fixture('https-asgi.py');

const tls = (port: number) => [
  '--https-port',
  String(port),
  '--ssl-certificate-file',
  `${pki.dir}/site.crt`,
  '--ssl-certificate-key-file',
  `${pki.dir}/site.key`,
  '--ssl-certificate-chain-file',
  `${pki.dir}/chain.crt`,
];
const get = async (port: number, scheme = 'https') => (await execa('curl', ['-sS', '--cacert', pki.ca, `${scheme}://127.0.0.1:${port}/`])).stdout;

describe('what the application sees over HTTPS', () => {
  it("WSGI: wsgi.url_scheme https, HTTPS on, the port, and mod_ssl's variables with --ssl-environment; plain HTTP unchanged", async () => {
    const port = await freePort();
    const s = await start(tempApp('https-wsgi', WSGI), [...tls(port), '--ssl-environment', 'wsgi.py']);
    expect(await get(port)).toMatch(new RegExp(`^https on ${port} TLSv1\\.3$`));
    expect(await get(s.port, 'http')).toBe(`http None ${s.port} None`);
  });

  it('ASGI: scheme https (X-Forwarded-Proto from Apache), http on the plain port', async () => {
    const port = await freePort();
    const s = await start(tempApp('https-asgi', '', { 'app.py': ASGI }), [...tls(port), '--application-type', 'asgi', 'app:app'], '/.whisk/ready');
    expect(await get(port)).toBe('https https');
    expect(await get(s.port, 'http')).toBe('http http');
  });
});
