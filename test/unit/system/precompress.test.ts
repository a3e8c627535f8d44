import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { filesToCompress, MIN_BYTES, precompress } from '../../../entrypoint/system/precompress.js';
import { tempTree } from '../../helpers/files.js';

describe('filesToCompress', () => {
  it('takes text files of MIN_BYTES or more; not hidden, dependency, bytecode or symlinked ones; not those already done', () => {
    const big = 'x'.repeat(MIN_BYTES);
    const root = tempTree('precompress', {
      'static/site.css': big,
      'static/APP.JS': big,
      'static/data.json': big,
      'static/small.css': 'x'.repeat(MIN_BYTES - 1),
      'static/logo.png': big,
      'static/.hidden.css': big,
      '.git/x.js': big,
      'node_modules/m/x.js': big,
      'pkg/__pycache__/x.txt': big,
      'static/done.css': big,
      'static/done.css.br': 'br',
    });
    fs.symlinkSync(path.join(root, 'static/site.css'), path.join(root, 'static/link.css'));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'static/done.css'), old, old);
    expect(filesToCompress(root).map((f) => path.relative(root, f))).toEqual(['static/APP.JS', 'static/data.json', 'static/site.css']);
  });
});

describe('precompress', () => {
  it('writes NAME.br and NAME.gz that decompress to the file, and replaces a symlinked variant without writing through it', async () => {
    const css = 'body { color: red; }\n'.repeat(100);
    const root = tempTree('precompress', { 'static/site.css': css, 'outside/victim': 'untouched\n' });
    const victim = path.join(root, 'outside/victim');
    fs.chmodSync(victim, 0o600);
    fs.symlinkSync(victim, path.join(root, 'static/site.css.br'));
    fs.symlinkSync(victim, path.join(root, 'static/site.css.gz'));
    const t = await precompress(root);
    expect(t.files).toBe(1);
    expect(fs.readFileSync(victim, 'utf8')).toBe('untouched\n');
    expect(fs.statSync(victim).mode & 0o777).toBe(0o600);
    for (const suffix of ['.br', '.gz']) expect(fs.lstatSync(path.join(root, `static/site.css${suffix}`)).isFile()).toBe(true);
    expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(root, 'static/site.css.br'))).toString()).toBe(css);
    expect(zlib.gunzipSync(fs.readFileSync(path.join(root, 'static/site.css.gz'))).toString()).toBe(css);
    expect(fs.readdirSync(path.join(root, 'static')).sort()).toEqual(['site.css', 'site.css.br', 'site.css.gz']);
  });
});
