/**
 * `--proxy-protocol`, in a real container behind a published port (the peer is Docker's
 * gateway, as a layer-4 balancer would be): PROXY v1 and v2 headers, as HAProxy, AWS NLB and
 * curl send them, set the client address the application and the access log see, on the plain
 * and the HTTPS port; a connection without one is closed; the container stays healthy (the
 * loopback needs no header).
 */
import net from 'node:net';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, exampleTag, exec, removeAll, run } from '../helpers/docker.js';
import { makePki, type TestPki } from '../helpers/tls.js';
import { setTimeout as sleep } from 'node:timers/promises';

let pki: TestPki;
beforeAll(async () => {
  await buildImages();
  pki = makePki();
});
afterAll(removeAll);

/** Sends `header` then a GET on a new connection; returns what came back (empty if closed). */
function raw(port: number, header: Buffer): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.write(Buffer.concat([header, Buffer.from('GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n')]));
    });
    let out = '';
    s.on('data', (d) => {
      out += d;
    });
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
    s.setTimeout(10_000, () => s.destroy());
  });
}

/** A PROXY protocol v2 header for a TCP over IPv4 connection from `src`. */
function v2(src: string, srcPort: number): Buffer {
  const sig = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
  const addr = Buffer.alloc(12);
  Buffer.from(src.split('.').map(Number)).copy(addr, 0);
  Buffer.from([192, 0, 2, 1]).copy(addr, 4);
  addr.writeUInt16BE(srcPort, 8);
  addr.writeUInt16BE(80, 10);
  return Buffer.concat([sig, Buffer.from([0x21, 0x11, 0x00, 0x0c]), addr]);
}

describe('--proxy-protocol', () => {
  it('takes the client address from v1 and v2 headers, on the plain and the HTTPS port; closes a connection without one; stays healthy', async () => {
    const c = await run(exampleTag('hello'), {
      publish: [443],
      host: { Binds: [`${pki.dir}:/run/secrets:ro`] },
      env: [
        'WHISK_PROXY_PROTOCOL=1',
        'WHISK_HTTPS_PORT=443',
        'WHISK_SSL_CERTIFICATE_FILE=/run/secrets/fullchain.crt',
        'WHISK_SSL_CERTIFICATE_KEY_FILE=/run/secrets/site.key',
      ],
    });
    // Ready when the container's own health check (over the loopback, no header) says so.
    let health = '';
    for (let i = 0; i < 100 && !health.startsWith('healthy'); i++) {
      await sleep(200);
      health = (await exec(c.container, ['/opt/whisk/dist/whisk', 'healthcheck'])).output;
    }
    expect(health).toMatch(/^healthy/);
    expect(await raw(c.port, Buffer.from('PROXY TCP4 203.0.113.7 192.0.2.1 40000 80\r\n'))).toMatch(/^HTTP\/1\.1 200 [\s\S]*Hello World!$/);
    expect(await raw(c.port, v2('198.51.100.9', 41000))).toMatch(/^HTTP\/1\.1 200 [\s\S]*Hello World!$/);
    expect(await raw(c.port, Buffer.alloc(0))).not.toMatch(/^HTTP\/1\.1 200/);
    const curl = await execa('curl', ['-sS', '--haproxy-protocol', `http://127.0.0.1:${c.port}/`]);
    expect(curl.stdout).toBe('Hello World!');
    const tls = await execa('curl', ['-sS', '--haproxy-protocol', '--cacert', pki.ca, `https://127.0.0.1:${c.ports[443]}/`]);
    expect(tls.stdout).toBe('Hello World!');
    await sleep(500);
    const logs = await c.logs();
    expect(logs).toMatch(/^203\.0\.113\.7 .*"GET \/ HTTP\/1\.1" 200/m);
    expect(logs).toMatch(/^198\.51\.100\.9 .*"GET \/ HTTP\/1\.1" 200/m);
  });
});
