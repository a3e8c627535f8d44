/**
 * --acme-store's checks: created when missing, a warning when it is not on a volume (read
 * from a mountinfo file like /proc/self/mountinfo), and the pending certificate announced.
 * (A store the server cannot write is refused in a real container: image/acme.test.ts.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AcmeView } from '../../../entrypoint/plan/config/tls.js';
import { checkAcmeStore } from '../../../entrypoint/system/acme-store.js';
import { tempTree } from '../../helpers/files.js';

const view = (store: string): AcmeView => ({
  email: 'ops@shop.example',
  ca: 'https://ca.test/dir',
  challenge: 'http-01',
  tlsAlpn: false,
  store,
  names: ['shop.example', 'www.shop.example'],
  certificate: path.join(store, 'domains', 'shop.example', 'pubcert.pem'),
  messageScript: '/srv/r/acme-message',
});

/** A mountinfo file: the root, and a volume at `at` (with a space, escaped as the kernel does). */
function mountinfo(dir: string, at?: string): string {
  const file = path.join(dir, 'mountinfo');
  fs.writeFileSync(
    file,
    `${['22 1 0:21 / / rw - overlay overlay rw', ...(at ? [`31 22 8:1 /volumes/x ${at.replace(/ /g, '\\040')} rw,relatime - ext4 /dev/sda1 rw`] : [])].join(
      '\n',
    )}\n`,
  );
  return file;
}

describe('checkAcmeStore', () => {
  it('creates a missing store and, on a volume with no certificate yet, says only that it is pending', () => {
    const dir = tempTree('acme-store');
    const store = path.join(dir, 'my store', 'acme');
    const warnings = checkAcmeStore(view(store), mountinfo(dir, path.join(dir, 'my store')));
    expect(fs.statSync(store).isDirectory()).toBe(true);
    expect(warnings).toEqual([
      `acme: the certificate for shop.example, www.shop.example is pending: mod_md orders it from https://ca.test/dir (http-01); until it comes, HTTPS answers with a temporary certificate and plain HTTP is served as usual`,
    ]);
  });

  it('warns when the store is on no volume, and says nothing of a certificate it has', () => {
    const dir = tempTree('acme-store');
    const store = path.join(dir, 'acme');
    fs.mkdirSync(path.join(store, 'domains', 'shop.example'), { recursive: true });
    fs.writeFileSync(path.join(store, 'domains', 'shop.example', 'pubcert.pem'), 'x');
    expect(checkAcmeStore(view(store), mountinfo(dir))).toEqual([
      `warning: --acme-store ${store} is not on a volume: a new container orders a new certificate on every start (Let's Encrypt allows 5 a week for the same names); mount one there (docker run -v whisk-acme:${store})`,
    ]);
  });
});
