/**
 * scripts/image-labels.sh, run as `npm run image` and the release run it: the source label is a
 * public URL, never a clone URL's credentials (labels and SBOMs are published with the image).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/files.js';
import { ROOT } from '../helpers/http.js';

/** The labels the script prints for a checkout whose `origin` is `remote` (or WHISK_SOURCE_URL). */
async function sourceLabel(remote: string, env: Record<string, string> = {}): Promise<string | undefined> {
  const dir = tempTree('labels', { 'package.json': fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8') });
  fs.mkdirSync(path.join(dir, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts/image-labels.sh'), path.join(dir, 'scripts/image-labels.sh'));
  await execa('git', ['init', '-q', dir]);
  if (remote) await execa('git', ['-C', dir, 'remote', 'add', 'origin', remote]);
  const r = await execa('bash', [path.join(dir, 'scripts/image-labels.sh')], { env });
  return r.stdout
    .split('\n')
    .find((l) => l.startsWith('org.opencontainers.image.source='))
    ?.split('=')
    .slice(1)
    .join('=');
}

describe('the OCI source label', () => {
  it.each([
    ['https://ci-user:TOKEN@git.example.com/team/app.git', 'https://git.example.com/team/app.git'],
    ['https://oauth2:glpat-x@git.example.com:8443/team/app.git?x=1#y', 'https://git.example.com:8443/team/app.git'],
    ['git@github.com:team/app.git', 'https://github.com/team/app.git'],
    ['ssh://git@git.example.com:2222/team/app.git', 'https://git.example.com/team/app.git'],
    ['/srv/git/app.git', undefined],
    ['file:///srv/git/app.git', undefined],
  ])('origin %s → %s', async (remote, label) => {
    expect(await sourceLabel(remote)).toBe(label);
  });

  it('WHISK_SOURCE_URL is cleaned the same way', async () => {
    expect(await sourceLabel('', { WHISK_SOURCE_URL: 'https://u:p@example.com/a' })).toBe('https://example.com/a');
  });
});
