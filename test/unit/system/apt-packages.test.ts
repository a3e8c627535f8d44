import { describe, expect, it } from 'vitest';
import { readAptPackages } from '../../../entrypoint/system/apt-packages.js';
import { tempTree } from '../../helpers/files.js';
import { usageFailure } from '../../helpers/options.js';

const file = (text: string) => `${tempTree('apt', { 'apt-packages.txt': text })}/apt-packages.txt`;

describe('readAptPackages', () => {
  it('reads one or more names a line, with # comments and blank lines', () => {
    expect(readAptPackages(file('# for the admin\npython3-django libjs-jquery\n\n  python3-psycopg2  # PostgreSQL\n'))).toEqual([
      'python3-django',
      'libjs-jquery',
      'python3-psycopg2',
    ]);
  });

  it('takes what apt-get install takes: :ARCH, =VERSION, /RELEASE', () => {
    expect(readAptPackages(file('libssl3:arm64 python3-django=3:4.2.11-1 python3-django/bookworm-backports g++ libc6.1\n'))).toEqual([
      'libssl3:arm64',
      'python3-django=3:4.2.11-1',
      'python3-django/bookworm-backports',
      'g++',
      'libc6.1',
    ]);
  });

  it.each(['-o', '--allow-unauthenticated', 'Python3', 'pkg;rm', '$(id)', 'a'])(
    'refuses %j, which apt-get would read as an option, a pattern or nothing',
    (word) => {
      expect(usageFailure(() => readAptPackages(file(`python3-flask ${word}\n`)))).toContain(
        `apt-packages.txt: ${JSON.stringify(word)} is not a Debian package name`,
      );
    },
  );
});
