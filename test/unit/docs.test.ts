/**
 * The documentation's links: every relative link of README.md, CONTRIBUTING.md, docs/ and
 * bench/README.md names a file of the repository, and every `#anchor` a heading of its page
 * (GitHub's slugs), so a moved section never leaves a dead link.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const PAGES = ['README.md', 'CONTRIBUTING.md', 'bench/README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_\- ]/gu, '')
    .replace(/ /g, '-');

/** The page's text outside fenced code blocks. */
function prose(file: string): string {
  return fs
    .readFileSync(path.join(ROOT, file), 'utf8')
    .split(/^```.*$/m)
    .filter((_, i) => i % 2 === 0)
    .join('\n');
}

function anchors(file: string): Set<string> {
  return new Set([...prose(file).matchAll(/^#{1,6} (.*)$/gm)].map((m) => slug(m[1])));
}

describe('documentation links', () => {
  it('slugs headings as GitHub does', () => {
    expect(slug('Build steps: `.whisk/`, `requirements.txt`, `apt-packages.txt`')).toBe('build-steps-whisk-requirementstxt-apt-packagestxt');
    expect(slug("Your application's requests")).toBe('your-applications-requests');
  });

  it.each(PAGES)('%s: every relative link and anchor resolves', (page) => {
    const dead: string[] = [];
    for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file, anchor] = target.split('#');
      const resolved = file ? path.normalize(path.join(path.dirname(page), file)) : page;
      if (!fs.existsSync(path.join(ROOT, resolved))) dead.push(`${target} (no file ${resolved})`);
      else if (anchor !== undefined && !anchors(resolved).has(anchor)) dead.push(`${target} (no heading #${anchor} in ${resolved})`);
    }
    expect(dead).toEqual([]);
  });
});
