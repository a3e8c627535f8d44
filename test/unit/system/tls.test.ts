import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateFiles, tlsView, type CertificateFiles } from '../../../entrypoint/plan/config/tls.js';
import { checkCertificates } from '../../../entrypoint/system/tls.js';
import { cmd, usageFailure } from '../../helpers/options.js';
import { contextOf } from '../../helpers/plan.js';
import { makePki, type TestPki } from '../../helpers/tls.js';

let pki: TestPki;
beforeAll(() => {
  pki = makePki();
});

const view = (args: string[]) => tlsView(contextOf(['--port', '80', ...args], { root: pki.dir }))!;
const files = (cert: string, key: string, chain?: string): CertificateFiles =>
  certificateFiles(
    view(['--https-port', '443', '--ssl-certificate-file', cert, '--ssl-certificate-key-file', key, ...(chain ? ['--ssl-certificate-chain-file', chain] : [])]),
  )!;

describe('HTTPS settings', () => {
  it('takes the certificate and key, or their common prefix, and builds the redirect target', () => {
    expect(view(['--https-port', '443', '--ssl-certificate', 'site'])).toMatchObject({
      port: 443,
      listen: '443',
      certificateFile: path.join(pki.dir, 'site.crt'),
      keyFile: path.join(pki.dir, 'site.key'),
      redirectTarget: 'https://%{SERVER_NAME}%1',
    });
    expect(view(['--https-port', '8443', '--ssl-certificate', 'site', '--server-name', 'shop.example']).redirectTarget).toBe('https://shop.example:8443%1');
    expect(view(['--https-port', '443', '--ssl-certificate', 'site', '--ssl-ca-certificate-file', 'client-ca.crt']).clientAuth?.paths).toEqual(['/']);
    expect(
      view([
        '--https-port',
        '443',
        '--ssl-certificate',
        'site',
        '--ssl-ca-certificate-file',
        'client-ca.crt',
        '--ssl-verify-client',
        '/a',
        '--ssl-verify-client',
        '/a/b',
      ]).clientAuth?.paths,
    ).toEqual(['/a/b', '/a']);
  });

  it("with --acme-email and no certificate file: mod_md for --server-name and its aliases, Let's Encrypt and http-01 by default", () => {
    const tls = view(['--https-port', '443', '--acme-email', 'ops@shop.example', '--server-name', 'shop.example', '--server-alias', 'www.shop.example']);
    expect(certificateFiles(tls)).toBeUndefined();
    expect(tls.acme).toEqual({
      email: 'ops@shop.example',
      ca: 'https://acme-v02.api.letsencrypt.org/directory',
      caCertificateFile: undefined,
      challenge: 'http-01',
      tlsAlpn: false,
      store: '/var/lib/whisk/acme',
      names: ['shop.example', 'www.shop.example'],
      certificate: '/var/lib/whisk/acme/domains/shop.example/pubcert.pem',
      messageScript: '/srv/r/acme-message',
    });
    const own = view([
      '--https-port',
      '443',
      '--acme-email',
      'a@b.c',
      '--server-name',
      'x.test',
      '--acme-ca',
      'https://pebble:14000/dir',
      '--acme-ca-certificate-file',
      'root-ca.crt',
      '--acme-challenge',
      'tls-alpn-01',
      '--acme-store',
      '/data/acme',
    ]).acme!;
    expect([own.ca, own.caCertificateFile, own.challenge, own.store]).toEqual([
      'https://pebble:14000/dir',
      path.join(pki.dir, 'root-ca.crt'),
      'tls-alpn-01',
      '/data/acme',
    ]);
  });

  it('refuses an ACME setting whose value cannot work (the combinations: combinations.test.ts)', () => {
    expect(usageFailure(() => cmd(['--acme-email', 'not an address']))).toMatch(
      /^--acme-email in the command line: "not an address" is not allowed; allowed: an e-mail address/,
    );
    expect(usageFailure(() => cmd(['--acme-ca', 'ftp://x']))).toMatch(
      /^--acme-ca in the command line: "ftp:\/\/x" is not allowed; allowed: an ACME directory URL/,
    );
    expect(usageFailure(() => cmd(['--acme-challenge', 'dns-01']))).toMatch(
      /^--acme-challenge in the command line: "dns-01" is not allowed; allowed: .*http-01.*tls-alpn-01/,
    );
  });
});

describe('the certificate files', () => {
  it('accepts a certificate with its key, its chain given apart or in the same file', () => {
    checkCertificates(files('site.crt', 'site.key', 'chain.crt'));
    checkCertificates(files('fullchain.crt', 'site.key'));
  });

  it('refuses, naming the file and never showing the key: a key of another certificate, an expired certificate, a chain out of order, an encrypted key, a missing file', () => {
    const key = fs.readFileSync(path.join(pki.dir, 'other.key'), 'utf8');
    const mismatch = usageFailure(() => checkCertificates(files('site.crt', 'other.key')));
    expect(mismatch).toMatch(/^--ssl-certificate-key-file .*other\.key: this key is not the one of the certificate in .*site\.crt/);
    expect(mismatch).not.toContain(key.split('\n')[1]);
    expect(usageFailure(() => checkCertificates(files('expired.crt', 'expired.key')))).toMatch(
      /^--ssl-certificate-file .*expired\.crt: the certificate \(CN=expired\) expired on 2020-01-02T00:00:00\.000Z; allowed: a certificate valid now/,
    );
    expect(usageFailure(() => checkCertificates(files('wrong-order.crt', 'site.key')))).toMatch(/this key is not the one|out of order/);
    expect(usageFailure(() => checkCertificates(files('site.crt', 'site.key', 'site.crt')))).toMatch(
      /^certificate 2 of the chain: it did not issue certificate 1 \(CN=site\): the chain is out of order/,
    );
    fs.writeFileSync(path.join(pki.dir, 'encrypted.key'), '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n');
    expect(usageFailure(() => checkCertificates(files('site.crt', 'encrypted.key')))).toMatch(
      /^--ssl-certificate-key-file .*encrypted\.key: the key is encrypted/,
    );
    expect(usageFailure(() => checkCertificates(files('missing.crt', 'site.key')))).toMatch(/^--ssl-certificate-file .*missing\.crt: does not exist/);
    expect(usageFailure(() => checkCertificates(files('site.key', 'site.key')))).toMatch(/^--ssl-certificate-file .*site\.key: no PEM certificate in it/);
  });
});
