/**
 * Debian's pebble (Let's Encrypt's ACME test server) for the automatic-certificate tests:
 * its image, its configuration and HTTPS certificate (Debian's pebble ships none), and the
 * root it makes at start, under which the certificates it issues verify. Pebble checks the
 * http-01 challenge on port 80 of the name being certified, resolved by the container's DNS
 * (Docker's, on a user-defined or Compose network), as Let's Encrypt would. Nothing leaves
 * this machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { buildApp } from './docker.js';
import { tempTree } from './files.js';
import { makeCa, makeCert } from './tls.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Pebble's ACME directory, for a client on the same network as the container `pebble`. */
export const PEBBLE_DIRECTORY = 'https://pebble:14000/dir';

/** The port of pebble's management API (its roots), inside its container. */
export const PEBBLE_MANAGEMENT_PORT = 15000;

/**
 * Pebble's environment: no sleep before a challenge is checked, and no nonce refused on
 * purpose (mod_md retries, but slowly).
 */
export const PEBBLE_ENV = { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' };

/** Builds the pebble image (Debian trixie's package); returns its tag. */
export function pebbleImage(): Promise<string> {
  return buildApp('pebble', {
    Dockerfile: [
      'FROM debian:trixie-slim',
      'RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends pebble && rm -rf /var/lib/apt/lists/*',
      'ENTRYPOINT ["/usr/bin/pebble"]',
      'CMD ["-config", "/etc/pebble/pebble.json"]',
      '',
    ].join('\n'),
  });
}

/**
 * A new directory, readable by every user, to mount at `/etc/pebble` in pebble's container
 * and at `/run/secrets` in whisk's: `pebble.json`, pebble's HTTPS certificate for the name
 * `pebble` and the CA that signs it, `pebble-ca.crt` (whisk's `--acme-ca-certificate-file`).
 * Certificates by pebble last 5 years by default: no renewal during a test.
 */
export function pebbleSecrets(): string {
  const dir = tempTree('acme-secrets');
  makeCa(dir, 'pebble-ca');
  makeCert(dir, 'pebble', 'pebble-ca', { dnsNames: ['pebble'] });
  fs.writeFileSync(
    path.join(dir, 'pebble.json'),
    JSON.stringify({
      pebble: {
        listenAddress: '0.0.0.0:14000',
        managementListenAddress: `0.0.0.0:${PEBBLE_MANAGEMENT_PORT}`,
        certificate: '/etc/pebble/pebble.crt',
        privateKey: '/etc/pebble/pebble.key',
        httpPort: 80,
        tlsPort: 443,
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  return dir;
}

/**
 * Waits for pebble's root certificate on its management port (published on 127.0.0.1 at
 * `port`), writes it to `DIR/pebble-root.pem` and returns that path.
 *
 * @throws Error when no root is served within 10 seconds
 */
export async function pebbleRoot(port: number, dir: string): Promise<string> {
  let root = '';
  for (let i = 0; i < 100 && !root.includes('BEGIN CERTIFICATE'); i++) {
    await sleep(100);
    root = (await execa('curl', ['-sk', `https://127.0.0.1:${port}/roots/0`], { reject: false })).stdout;
  }
  if (!root.includes('BEGIN CERTIFICATE')) throw new Error(`pebble served no root on 127.0.0.1:${port}`);
  const file = path.join(dir, 'pebble-root.pem');
  fs.writeFileSync(file, root);
  return file;
}

/** How many certificates pebble has issued, counted in its log. */
export const issuedIn = (log: string): number => (log.match(/Issued certificate serial/g) ?? []).length;

/**
 * GET `urlPath` over HTTPS from 127.0.0.1:`port` as `name`, verified against `root`: the
 * body, or undefined when the request fails (no certificate yet, or one that does not verify).
 */
export async function verifiedGet(port: number, name: string, root: string, urlPath = '/'): Promise<string | undefined> {
  const r = await execa('curl', ['-sS', '--max-time', '5', '--cacert', root, '--resolve', `${name}:${port}:127.0.0.1`, `https://${name}:${port}${urlPath}`], {
    reject: false,
  });
  return r.exitCode === 0 ? r.stdout : undefined;
}

/**
 * Polls {@link verifiedGet} until it answers (at most 30 seconds); returns the body.
 *
 * @param logs the server's log, for the error
 * @throws Error with that log when no verified answer comes
 */
export async function waitForCertificate(port: number, name: string, root: string, logs: () => Promise<string>, urlPath = '/'): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const body = await verifiedGet(port, name, root, urlPath);
    if (body !== undefined) return body;
    await sleep(100);
  }
  throw new Error(`no verified HTTPS answer from ${name}; log:\n${await logs()}`);
}
