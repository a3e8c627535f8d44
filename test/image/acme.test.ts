/**
 * Automatic certificates (--acme-email, Apache's mod_md), against Debian's pebble, Let's
 * Encrypt's ACME test server, in a container of its own: pebble and whisk share a
 * user-defined network, where Docker's DNS gives whisk's container the name it is
 * certified for, and pebble checks the http-01 challenge on its port 80 as Let's Encrypt
 * would. Pebble's own HTTPS uses a certificate made here (Debian's pebble ships none); the
 * certificates it issues chain to a root it makes at start, fetched from its management
 * port. Nothing leaves this machine.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, docker, exampleTag, exec, removeAllOnNetwork, run, serving, waitExit } from '../helpers/docker.js';
import { freePort, waitForHttp } from '../helpers/http.js';
import {
  issuedIn,
  PEBBLE_DIRECTORY,
  PEBBLE_ENV,
  PEBBLE_MANAGEMENT_PORT,
  pebbleImage,
  pebbleRoot,
  pebbleSecrets,
  waitForCertificate,
} from '../helpers/pebble.js';
import { servedSerial } from '../helpers/tls.js';
import { setTimeout as sleep } from 'node:timers/promises';

const NETWORK = `whisk-acme-${process.pid}`;
let secrets: string;
let pebble: { root: string; issued: () => Promise<number> };

beforeAll(async () => {
  await buildImages();
  const image = await pebbleImage();
  secrets = pebbleSecrets();
  await docker.createNetwork({ Name: NETWORK });
  const management = await freePort();
  const c = await docker.createContainer({
    name: `pebble-${process.pid}`,
    Image: image,
    Env: Object.entries(PEBBLE_ENV).map(([k, v]) => `${k}=${v}`),
    ExposedPorts: { [`${PEBBLE_MANAGEMENT_PORT}/tcp`]: {} },
    HostConfig: {
      NetworkMode: NETWORK,
      Binds: [`${secrets}:/etc/pebble:ro`],
      PortBindings: { [`${PEBBLE_MANAGEMENT_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(management) }] },
    },
    NetworkingConfig: { EndpointsConfig: { [NETWORK]: { Aliases: ['pebble'] } } },
  });
  await c.start();
  pebble = {
    root: await pebbleRoot(management, secrets),
    issued: async () => issuedIn((await c.logs({ stdout: true, stderr: true })).toString('latin1')),
  };
}, 300_000);

afterAll(() => removeAllOnNetwork(NETWORK, `pebble-${process.pid}`));

/** whisk's HTTPS settings for the name `name`, with pebble as the CA. */
const acme = (name: string, extra: string[] = []) => ({
  name,
  publish: [443],
  host: { NetworkMode: NETWORK, Binds: [`${secrets}:/run/secrets:ro`] },
  env: [
    'WHISK_HTTPS_PORT=443',
    `WHISK_SERVER_NAME=${name}`,
    'WHISK_ACME_EMAIL=ops@example.test',
    `WHISK_ACME_CA=${PEBBLE_DIRECTORY}`,
    'WHISK_ACME_CA_CERTIFICATE_FILE=/run/secrets/pebble-ca.crt',
    ...extra,
  ],
});

describe('automatic certificates (--acme-email, mod_md) from a local pebble', () => {
  it('gets a certificate by itself and serves it; a restart serves the same one and orders nothing', async () => {
    const name = `site-${process.pid}.test`;
    const issuedBefore = await pebble.issued();
    const c = await serving(exampleTag('flask'), acme(name, ['WHISK_HTTPS_ONLY=1', 'WHISK_METRICS=1']));
    expect(await c.logs()).toMatch(
      new RegExp(
        `^whisk: acme: the certificate for ${name.replace(/\./g, '\\.')} is pending: mod_md orders it from https://pebble:14000/dir \\(http-01\\)`,
        'm',
      ),
    );
    await waitForCertificate(c.ports[443], name, pebble.root, () => c.logs());
    expect(await pebble.issued()).toBe(issuedBefore + 1);
    const logs = await c.logs();
    expect(logs).toMatch(
      new RegExp(`^whisk: acme: ${name.replace(/\./g, '\\.')}: a new certificate from the CA; activating it with a graceful restart of Apache$`, 'm'),
    );
    // Once it is served, --https-only redirects (not before: the condition is the certificate's file); the probes still answer on plain HTTP.
    const plain = await execa('curl', [
      '-sS',
      '-o',
      '/dev/null',
      '-w',
      '%{http_code} %{redirect_url}',
      '-H',
      `Host: ${name}`,
      `http://127.0.0.1:${c.port}/x?y=1`,
    ]);
    expect(plain.stdout).toBe(`301 https://${name}/x?y=1`);
    expect((await waitForHttp(c.port, '/.whisk/ready')).status).toBe(200);
    const serial = await servedSerial(c.ports[443], name);
    const metrics = await exec(c.container, [
      'python3',
      '-c',
      'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1/.whisk/metrics").read().decode())',
    ]);
    expect(metrics.output).toContain(`whisk_acme_certificate_ready{name="${name}"} 1`);
    expect(serial).toMatch(/^serial=/);
    // The store is the image's VOLUME: a restart finds the certificate and orders nothing.
    await c.container.restart({ t: 10 });
    await waitForCertificate(c.ports[443], name, pebble.root, () => c.logs());
    expect(await servedSerial(c.ports[443], name)).toBe(serial);
    expect(await pebble.issued()).toBe(issuedBefore + 1);
  });

  it('--acme-challenge tls-alpn-01: pebble checks on the HTTPS port (acme-tls/1), and no challenge request reaches the plain port', async () => {
    const name = `alpn-${process.pid}.test`;
    const issuedBefore = await pebble.issued();
    const c = await serving(exampleTag('hello'), acme(name, ['WHISK_ACME_CHALLENGE=tls-alpn-01']));
    expect(await c.logs()).toMatch(new RegExp(`^whisk: acme: the certificate for ${name.replace(/\./g, '\\.')} is pending: .*\\(tls-alpn-01\\)`, 'm'));
    expect(await waitForCertificate(c.ports[443], name, pebble.root, () => c.logs())).toBe('Hello World!');
    expect(await pebble.issued()).toBe(issuedBefore + 1);
    expect(await c.logs()).not.toContain('/.well-known/acme-challenge/');
  });

  it('an unreachable CA: the site goes on serving plain HTTP, and the log says why in one line of mod_md and one of whisk', async () => {
    const name = `down-${process.pid}.test`;
    const c = await serving(exampleTag('hello'), acme(name, ['WHISK_ACME_CA=https://pebble:14999/dir', 'WHISK_METRICS=1']));
    let logs = '';
    for (let i = 0; i < 100 && !/whisk: acme: .*: the last attempt to get a certificate failed/.test(logs); i++) {
      await sleep(100);
      logs = await c.logs();
    }
    expect(logs).toMatch(/\[md:error\] .*AH10056: processing down-\d+\.test: Unsuccessful in contacting ACME server at <https:\/\/pebble:14999\/dir>/);
    expect(logs).toMatch(
      new RegExp(
        `^whisk: acme: ${name.replace(/\./g, '\\.')}: the last attempt to get a certificate failed \\(mod_md's reason is in the lines above\\); the server goes on serving and mod_md tries again$`,
        'm',
      ),
    );
    expect((await waitForHttp(c.port, '/')).body).toBe('Hello World!');
    // /.whisk/metrics (asked from inside the container: it answers local clients) says it is pending.
    const metrics = await exec(c.container, [
      'python3',
      '-c',
      'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1/.whisk/metrics").read().decode())',
    ]);
    expect(metrics.output).toContain(`whisk_acme_certificate_ready{name="${name}"} 0`);
  });

  it('a store the server cannot write (a fresh named volume mounted elsewhere): refused before anything starts, exit 2, saying how to fix it', async () => {
    const volume = `whisk-acme-store-${process.pid}`;
    const c = await run(exampleTag('hello'), {
      ...acme(`store-${process.pid}.test`, ['WHISK_ACME_STORE=/data/acme']),
      host: { NetworkMode: NETWORK, Binds: [`${secrets}:/run/secrets:ro`, `${volume}:/data`] },
    });
    expect(await waitExit(c.container)).toBe(2);
    expect(await c.logs()).toMatch(
      /^whisk: error: --acme-store \/data\/acme: uid 1001 cannot write it \(cannot create it: \/data is owned by uid 0 gid 0, mode 755\); allowed: a directory uid 1001 or group 0 can write: mount the volume at the image's \/var\/lib\/whisk\/acme/m,
    );
    await c.container.remove({ force: true, v: true });
    await docker
      .getVolume(volume)
      .remove()
      .catch(() => undefined);
  });
});
