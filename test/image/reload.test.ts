/**
 * `whisk reload` under load, in real containers started as users start them, over HTTPS
 * (docs/production.md's `docker run` with a certificate mounted as a secret) and plain HTTP at once:
 * keep-alive clients in a loop count every request that does not come back 200 (nothing is
 * retried). The application's processes restart one at a time; `--server` is Apache's
 * graceful restart, which reads a replaced certificate again and refuses a bad one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, exampleTag, exec, processes, removeAll, serving, type Running } from '../helpers/docker.js';
import { clientLoop, type LoopResult } from '../helpers/http.js';
import { makeCert, makePki, servedSerial, type TestPki } from '../helpers/tls.js';
import { setTimeout as sleep } from 'node:timers/promises';

let pki: TestPki;
beforeAll(async () => {
  await buildImages();
  pki = makePki();
});
afterAll(removeAll);

const https = {
  publish: [443],
  env: [
    'WHISK_HTTPS_PORT=443',
    'WHISK_SSL_CERTIFICATE_FILE=/run/secrets/site.crt',
    'WHISK_SSL_CERTIFICATE_KEY_FILE=/run/secrets/site.key',
    'WHISK_SSL_CERTIFICATE_CHAIN_FILE=/run/secrets/chain.crt',
  ],
};

/** The pids of the application's processes: mod_wsgi daemons `(wsgi:whisk)`, or the ASGI processes. */
async function appPids(c: Running): Promise<string[]> {
  return (await processes(c)).filter((p) => /^\(wsgi:whisk\)|\/asgi\.py \d/.test(p.args)).map((p) => p.pid);
}

/** 6 HTTPS and 2 plain-HTTP clients in a loop while `during` runs, then their counts. */
async function underLoad(c: Running, ca: string, during: () => Promise<void>): Promise<{ tls: LoopResult; plain: LoopResult }> {
  let finish!: () => void;
  const stop = new Promise<void>((r) => {
    finish = r;
  });
  const loops = Promise.all([clientLoop(c.ports[443], '/', { concurrency: 6, ca, stop }), clientLoop(c.port, '/', { concurrency: 2, stop })]);
  await sleep(500);
  try {
    await during();
    await sleep(500);
  } finally {
    finish();
  }
  const [tls, plain] = await loops;
  return { tls, plain };
}

describe('whisk reload', () => {
  it.each([
    ['a WSGI application (Flask)', 'flask'],
    ['an ASGI application (FastAPI)', 'fastapi'],
  ])('restarts the processes of %s one at a time, three times, with no failed request over HTTPS or HTTP', async (_, example) => {
    const secrets = { host: { Binds: [`${pki.dir}:/run/secrets:ro`] } };
    const c = await serving(exampleTag(example), { ...https, ...secrets });
    const before = await appPids(c);
    expect(before.length).toBe(2);
    const ca = fs.readFileSync(pki.ca, 'utf8');
    const outputs: string[] = [];
    const { tls, plain } = await underLoad(c, ca, async () => {
      for (let i = 0; i < 3; i++) {
        const r = await exec(c.container, ['whisk', 'reload']);
        outputs.push(r.output);
        expect(r.code).toBe(0);
      }
    });
    console.log(`whisk reload x3 (${example}): HTTPS ${tls.ok} ok ${JSON.stringify(tls.failed)}, HTTP ${plain.ok} ok ${JSON.stringify(plain.failed)}`);
    if (Object.keys({ ...tls.failed, ...plain.failed }).length)
      console.log(
        (await c.logs())
          .split('\n')
          .filter((l) => !/" 200 |:info\]/.test(l))
          .slice(-60)
          .join('\n'),
      );
    expect(outputs[0]).toMatch(/^reloading: restarting the application's 2 processes one at a time \(pids \d+, \d+\)$/m);
    expect(outputs[0]).toMatch(/^reloaded: 2 processes restarted in [\d.]+ s$/m);
    expect(tls.failed).toEqual({});
    expect(plain.failed).toEqual({});
    expect(tls.ok).toBeGreaterThan(100);
    expect(plain.ok).toBeGreaterThan(100);
    const after = await appPids(c);
    expect(after.length).toBe(2);
    expect(after.filter((p) => before.includes(p))).toEqual([]);
    expect(await c.logs()).not.toMatch(/Traceback|AH01102|Unable to connect to WSGI daemon/);
  });

  it('--server reads a replaced certificate again (an ASGI application answers every request it gets meanwhile) and refuses a key that does not match', async () => {
    // The secrets directory as a Kubernetes or Compose secret update changes it: files replaced.
    const dir = fs.mkdtempSync(path.join(pki.dir, 'rotated-'));
    fs.chmodSync(dir, 0o755);
    for (const f of ['site.crt', 'site.key', 'chain.crt']) {
      fs.copyFileSync(path.join(pki.dir, f), path.join(dir, f));
      fs.chmodSync(path.join(dir, f), 0o644);
    }
    const c = await serving(exampleTag('fastapi'), { ...https, host: { Binds: [`${dir}:/run/secrets:ro`] } });
    const tlsPort = c.ports[443];
    const first = await servedSerial(tlsPort, 'localhost');
    expect(first).toMatch(/^serial=/);
    makeCert(pki.dir, 'renewed', 'intermediate');
    // First the certificate alone (its key is still the old one): refused, nothing restarts.
    fs.copyFileSync(path.join(pki.dir, 'renewed.crt'), path.join(dir, 'site.crt.new'));
    fs.renameSync(path.join(dir, 'site.crt.new'), path.join(dir, 'site.crt'));
    const half = await exec(c.container, ['whisk', 'reload', '--server']);
    expect(half.code).toBe(2);
    expect(half.output).toMatch(
      /^whisk: error: --ssl-certificate-key-file \/run\/secrets\/site\.key: this key is not the one of the certificate in \/run\/secrets\/site\.crt .*\(not reloaded: the server goes on with the certificate it has\)$/m,
    );
    expect(await servedSerial(tlsPort, 'localhost')).toBe(first);
    // Then the key too, and a reload under load.
    fs.copyFileSync(path.join(pki.dir, 'renewed.key'), path.join(dir, 'site.key.new'));
    fs.chmodSync(path.join(dir, 'site.key.new'), 0o644);
    fs.renameSync(path.join(dir, 'site.key.new'), path.join(dir, 'site.key'));
    const ca = fs.readFileSync(pki.ca, 'utf8');
    const { tls, plain } = await underLoad(c, ca, async () => {
      const r = await exec(c.container, ['whisk', 'reload', '--server']);
      expect(r.output).toMatch(/^reloading: graceful restart of Apache \(pid \d+\)$/m);
      expect(r.code).toBe(0);
      await sleep(2000);
    });
    console.log(
      `whisk reload --server with a new certificate (fastapi): HTTPS ${tls.ok} ok ${JSON.stringify(tls.failed)}, HTTP ${plain.ok} ok ${JSON.stringify(plain.failed)}`,
    );
    const renewed = await servedSerial(tlsPort, 'localhost');
    expect(renewed).toMatch(/^serial=/);
    expect(renewed).not.toBe(first);
    // Every request Apache read was answered 200 (no 502/503). Apache's old children close
    // their idle keep-alive connections at a graceful restart, so a client that sent on one
    // at that instant sees it reset, as with any server's reload: browsers and HTTP client
    // libraries send such a request again; this client does not, so it counts them apart.
    const statuses = (r: typeof tls) => Object.keys(r.failed).filter((k) => /^\d+$/.test(k));
    expect(statuses(tls)).toEqual([]);
    expect(statuses(plain)).toEqual([]);
    expect(Object.keys({ ...tls.failed, ...plain.failed }).every((k) => k === 'ECONNRESET' || /^\d+$/.test(k))).toBe(true);
  });
});
