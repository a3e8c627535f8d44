/**
 * Certificates for the HTTPS tests, made with Debian's openssl: a CA, server and client
 * certificates it signs (EC P-256), and the bad cases whisk must refuse.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { tempTree } from './files.js';

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/** A certificate authority: `NAME.crt` and `NAME.key` in `dir`. */
export function makeCa(dir: string, name: string, days = 30): string {
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
      '-days',
      String(days),
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return path.join(dir, `${name}.crt`);
}

/**
 * A certificate `NAME.crt` (and key `NAME.key`) signed by the CA `ca`, for localhost (or
 * `dnsNames`) and 127.0.0.1 (a server) or for a client.
 *
 * @param days negative: already expired (valid from 2 days ago to yesterday)
 */
export function makeCert(dir: string, name: string, ca: string, opts: { days?: number; client?: boolean; isCa?: boolean; dnsNames?: string[] } = {}): string {
  openssl(
    ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`],
    dir,
  );
  const ext = opts.isCa
    ? 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
    : opts.client
      ? 'extendedKeyUsage=clientAuth\n'
      : `subjectAltName=${(opts.dnsNames ?? ['localhost']).map((n) => `DNS:${n}`).join(',')},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`;
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  const days = opts.days ?? 10;
  if (days >= 0) {
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.crt`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-out',
        `${name}.crt`,
        '-extfile',
        `${name}.ext`,
        '-days',
        String(days),
      ],
      dir,
    );
  } else {
    // Expired: openssl's `ca` command takes explicit dates (its `x509 -req` does not, before 3.4).
    fs.writeFileSync(path.join(dir, `${name}.index`), '');
    fs.writeFileSync(
      path.join(dir, `${name}.cnf`),
      `[ca]\ndefault_ca=d\n[d]\ndatabase=${name}.index\nnew_certs_dir=.\nserial=${name}.serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n`,
    );
    fs.writeFileSync(path.join(dir, `${name}.serial`), '1000\n');
    openssl(
      [
        'ca',
        '-batch',
        '-config',
        `${name}.cnf`,
        '-in',
        `${name}.csr`,
        '-cert',
        `${ca}.crt`,
        '-keyfile',
        `${ca}.key`,
        '-out',
        `${name}.crt`,
        '-startdate',
        '20200101000000Z',
        '-enddate',
        '20200102000000Z',
        '-extfile',
        `${name}.ext`,
        '-notext',
      ],
      dir,
    );
  }
  return path.join(dir, `${name}.crt`);
}

/** The files of the HTTPS tests, in a new directory readable by every user (as a secret mount is). */
export interface TestPki {
  dir: string;
  ca: string;
  intermediate: string;
}

/**
 * A CA, an intermediate CA it signs, a server certificate `site` the intermediate signs (with
 * `chain.crt`: the intermediate), and a client CA with a client certificate `client`.
 */
export function makePki(): TestPki {
  const dir = tempTree('pki');
  makeCa(dir, 'root-ca');
  makeCert(dir, 'intermediate', 'root-ca', { isCa: true });
  makeCert(dir, 'site', 'intermediate');
  fs.copyFileSync(path.join(dir, 'intermediate.crt'), path.join(dir, 'chain.crt'));
  fs.writeFileSync(
    path.join(dir, 'fullchain.crt'),
    fs.readFileSync(path.join(dir, 'site.crt'), 'utf8') + fs.readFileSync(path.join(dir, 'intermediate.crt'), 'utf8'),
  );
  fs.writeFileSync(
    path.join(dir, 'wrong-order.crt'),
    fs.readFileSync(path.join(dir, 'intermediate.crt'), 'utf8') + fs.readFileSync(path.join(dir, 'site.crt'), 'utf8'),
  );
  makeCert(dir, 'other', 'intermediate');
  makeCert(dir, 'expired', 'intermediate', { days: -1 });
  makeCa(dir, 'client-ca');
  makeCert(dir, 'client', 'client-ca', { client: true });
  fs.chmodSync(dir, 0o755);
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  return { dir, ca: path.join(dir, 'root-ca.crt'), intermediate: path.join(dir, 'intermediate.crt') };
}

/**
 * The serial number of the certificate a server on 127.0.0.1:`port` presents for `name`
 * (`serial=…`), or an empty string when no TLS handshake succeeds.
 */
export async function servedSerial(port: number, name: string): Promise<string> {
  const s = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', name], { input: '', reject: false });
  return (await execa('openssl', ['x509', '-noout', '-serial'], { input: s.stdout, reject: false })).stdout.trim();
}
