/**
 * Real frameworks from Debian in real containers, for what a toy app would not check:
 * Werkzeug (Flask, httpbin) refuses a body that still says `Transfer-Encoding: chunked`, and
 * Trac-style WSGI environ keys (`trac.env_path`) are not environment-variable names.
 * Bodies are sent by curl, as users send them (`curl -T -` streams stdin chunked).
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, removeAll, serving } from '../helpers/docker.js';
import { fixture } from '../helpers/files.js';

beforeAll(buildImages);
afterAll(removeAll);

const FLASK_APP = fixture('flask-app.py');

/** curl on this machine, to 127.0.0.1 only; `input` goes to its stdin. */
function curl(args: string[], input?: string): string {
  return execFileSync('curl', ['-sS', '--max-time', '10', ...args], { input, encoding: 'utf8' });
}

describe('a chunked request body, as Werkzeug apps see it', () => {
  it('reaches Flask as a plain body with its CONTENT_LENGTH, no Transfer-Encoding and wsgi.input_terminated', async () => {
    const image = await buildApp('flask-echo', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--application-type", "module", "--callable-object", "app", "app"]\n',
      'apt-packages.txt': 'python3-flask\n',
      'app.py': FLASK_APP,
    });
    const c = await serving(image);
    const body = 'line one\nline two: ünïcode\n'.repeat(200);
    // -T - reads stdin and sends it chunked (curl says Transfer-Encoding: chunked).
    const seen = JSON.parse(curl(['-T', '-', `http://127.0.0.1:${c.port}/echo`], body));
    expect(seen).toEqual({
      body,
      content_length: String(Buffer.byteLength(body)),
      transfer_encoding: null,
      input_terminated: true,
    });
    // A body with a Content-Length is as it was (mod_wsgi marks it terminated itself).
    const plain = JSON.parse(curl(['--data-binary', 'a=1&b=2', `http://127.0.0.1:${c.port}/echo`]));
    expect(plain).toMatchObject({ body: 'a=1&b=2', content_length: '7', transfer_encoding: null });
  });

  it('is accepted by httpbin, which answers 501 to a request that still says chunked', async () => {
    const image = await buildApp('httpbin', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--application-type", "module", "--callable-object", "app", "httpbin"]\n',
      'apt-packages.txt': 'python3-httpbin\n',
    });
    const c = await serving(image);
    const out = curl(
      ['-w', '\n%{http_code}', '-H', 'Content-Type: text/plain', '-T', '-', '-X', 'POST', `http://127.0.0.1:${c.port}/anything`],
      'hello, httpbin',
    );
    const status = out.slice(out.lastIndexOf('\n') + 1);
    expect(status).toBe('200');
    const seen = JSON.parse(out.slice(0, out.lastIndexOf('\n')));
    expect(seen.data).toBe('hello, httpbin');
    expect(seen.method).toBe('POST');
    expect(Object.keys(seen.headers).map((h) => h.toLowerCase())).not.toContain('transfer-encoding');
  });
});

describe('--setenv names', () => {
  it("carries a dotted WSGI environ key (Trac's trac.env_path) and its value to the application", async () => {
    const image = await buildApp('flask-echo', {
      Dockerfile: 'FROM whisk:onbuild\nCMD ["--application-type", "module", "--callable-object", "app", "--setenv", "trac.env_path", "/srv/trac", "app"]\n',
      'apt-packages.txt': 'python3-flask\n',
      'app.py': FLASK_APP,
    });
    const c = await serving(image, { env: ["WHISK_SETENV=app.mode 'blue green' x-y:z $HOME"] });
    expect(JSON.parse(curl([`http://127.0.0.1:${c.port}/environ/trac.env_path`]))).toBe('/srv/trac');
    expect(JSON.parse(curl([`http://127.0.0.1:${c.port}/environ/app.mode`]))).toBe('blue green');
    expect(JSON.parse(curl([`http://127.0.0.1:${c.port}/environ/x-y:z`]))).toBe('$HOME');
  });
});
