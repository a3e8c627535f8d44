import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesToCompress, MIN_BYTES } from '../../../entrypoint/system/precompress.js';
import { tempTree } from '../../helpers/files.js';

describe('filesToCompress', () => {
  it('takes text files of MIN_BYTES or more; not hidden, dependency, bytecode or symlinked ones; not those already done', () => {
    const big = 'x'.repeat(MIN_BYTES);
    const root = tempTree('precompress', {
      'static/site.css': big, 'static/APP.JS': big, 'static/data.json': big, 'static/small.css': 'x'.repeat(MIN_BYTES - 1),
      'static/logo.png': big, 'static/.hidden.css': big, '.git/x.js': big, 'node_modules/m/x.js': big,
      'pkg/__pycache__/x.txt': big, 'static/done.css': big, 'static/done.css.br': 'br',
    });
    fs.symlinkSync(path.join(root, 'static/site.css'), path.join(root, 'static/link.css'));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, 'static/done.css'), old, old);
    expect(filesToCompress(root).map((f) => path.relative(root, f))).toEqual(['static/APP.JS', 'static/data.json', 'static/site.css']);
  });
});
