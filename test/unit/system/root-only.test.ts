import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRootOnly, checkRootOnlyFile } from '../../../entrypoint/system/root-only.js';
import { tempTree } from '../../helpers/files.js';
import { usageFailure } from '../../helpers/options.js';

// The checks read owners and modes; these tests run as root (as CI does) to make root's files.
const asRoot = process.getuid?.() === 0;

describe.runIf(asRoot)("files root reads must be root's alone", () => {
  it('accepts a root-owned path under sticky /tmp', () => {
    const dir = tempTree('root-only', { 'extra.conf': 'Redirect /a /b\n' });
    expect(() => checkRootOnly(dir)).not.toThrow();
    expect(() => checkRootOnlyFile(path.join(dir, 'extra.conf'), '--include-file')).not.toThrow();
  });

  it("refuses a file group 0 can write, one owned by the application's uid, and a symlink", () => {
    const dir = tempTree('root-only', { 'a.conf': '', 'b.conf': '', 'target.conf': '' });
    fs.chmodSync(path.join(dir, 'a.conf'), 0o664);
    expect(usageFailure(() => checkRootOnlyFile(path.join(dir, 'a.conf'), '--include-file'))).toMatch(
      /--include-file .*a\.conf: is writable by others than root, and whisk runs as root; that would let the application's user write what root reads/,
    );
    fs.chownSync(path.join(dir, 'b.conf'), 1001, 0);
    expect(usageFailure(() => checkRootOnlyFile(path.join(dir, 'b.conf'), '--include-file'))).toMatch(/is owned by uid 1001/);
    fs.symlinkSync(path.join(dir, 'target.conf'), path.join(dir, 'link.conf'));
    expect(usageFailure(() => checkRootOnlyFile(path.join(dir, 'link.conf'), '--include-file'))).toMatch(/is a symlink/);
  });

  it('refuses a root-owned file in a directory others can write (they could replace it)', () => {
    const dir = tempTree('root-only', { 'sub/x.conf': '' });
    fs.chmodSync(path.join(dir, 'sub'), 0o777);
    expect(usageFailure(() => checkRootOnlyFile(path.join(dir, 'sub/x.conf'), '--include-file'))).toMatch(/sub is writable by others than root/);
  });
});
