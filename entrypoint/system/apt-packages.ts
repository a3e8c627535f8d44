/** apt-packages.txt: the Debian packages an application asks `whisk build` to install. */
import fs from 'node:fs';
import { UsageError } from '../errors.js';

/**
 * A package as `apt-get install` takes it: a Debian package name (Debian Policy 5.6.1),
 * optionally `:ARCH` (multiarch, `libssl3:arm64`), then `=VERSION` or `/RELEASE`
 * (`python3-django/bookworm-backports`).
 */
const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?(=[A-Za-z0-9.+~:-]+|\/[a-z0-9.-]+)?$/;

/**
 * Reads the package names of apt-packages.txt: one or more a line, `#` comments.
 *
 * @returns the names, in order
 * @throws {UsageError} a word that is not a package name (it would reach apt-get as an
 *   option or a pattern)
 */
export function readAptPackages(file: string): string[] {
  const words = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .flatMap((l) => l.split(/\s+/));
  for (const w of words) {
    if (!DEBIAN_PACKAGE.test(w))
      throw new UsageError(`apt-packages.txt: ${JSON.stringify(w)} is not a Debian package name; allowed: names such as python3-django, one or more a line`);
  }
  return words;
}
