import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../entrypoint/plan/prepare.js';
import type { Runtime } from '../../../entrypoint/plan/view.js';
import { tempTree } from '../../helpers/files.js';
import { usageFailure } from '../../helpers/options.js';

const runtime: Runtime = {
  uid: 1001, apacheBinary: '/usr/sbin/apache2', modulesDir: '/usr/lib/apache2/modules', mimeTypes: '/etc/mime.types',
  pythonHome: '/usr', python: '/usr/bin/python3', healthToken: 'tok', limits: { cpus: 1, cpuSource: 'test', memorySource: 'test' },
};

describe('prepare: layers → options → application → view → files', () => {
  it('reads .whisk/server-args under the CMD, under the environment, and renders every file', () => {
    const app = tempTree('prepare', { 'wsgi.py': '', '.whisk/server-args': '--threads 3\n--processes 4\n' });
    const { view, files, parsed } = prepare(['--processes', '2', 'wsgi.py'], { WHISK_THREADS: '7' }, app, runtime);
    expect(parsed.sources).toMatchObject({ threads: 'env', processes: 'cmd' });
    expect(view.wsgi?.daemon).toMatchObject({ processes: 2, threads: 7 });
    expect(Object.keys(files)).toEqual(['httpd.conf', 'state.json', 'shutdown-delay', 'handler.wsgi', 'health.wsgi']);
    expect(JSON.parse(files['state.json'])).toEqual({ port: 8000, wsgi: true, serverRoot: '/tmp/whisk-8000-1001', command: 'apache2', healthToken: 'tok' });
    expect(files['shutdown-delay']).toBe('5\n');
  });

  it('gives start what it needs from the view alone: the URL with an IPv6 host bracketed, the bare host', () => {
    const app = tempTree('prepare', { 'wsgi.py': '' });
    const { view } = prepare(['--host', '[::1]', 'wsgi.py'], {}, app, runtime);
    expect(view).toMatchObject({ host: '::1', url: 'http://[::1]:8000/', listen: '[::1]:8000' });
    expect(JSON.parse(prepare(['--host', '::1', 'wsgi.py'], {}, app, runtime).files['state.json']).host).toBe('::1');
    expect(prepare(['wsgi.py'], {}, app, runtime).view.url).toBe('http://0.0.0.0:8000/');
  });

  it('refuses a start directory no configuration can name', () => {
    const app = tempTree('prepare');
    const odd = path.join(app, 'a\nb');
    fs.mkdirSync(odd);
    expect(usageFailure(() => prepare([], {}, odd, runtime))).toMatch(/^the directory whisk was started in: .* contains a newline/);
  });
});
