import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepare } from '../../../entrypoint/plan/prepare.js';
import { tempTree } from '../../helpers/files.js';
import { usageFailure } from '../../helpers/options.js';
import { testRuntime } from '../../helpers/plan.js';

const runtime = testRuntime({ healthToken: 'tok', limits: { cpus: 1, cpuSource: 'test', memorySource: 'test' } });

describe('prepare: layers → options → application → view → files', () => {
  it('reads .whisk/server-args under the CMD, under the environment, and renders every file', () => {
    const app = tempTree('prepare', { 'wsgi.py': '', '.whisk/server-args': '--threads 3\n--processes 4\n' });
    const { view, files, parsed } = prepare(['--processes', '2', 'wsgi.py'], { WHISK_THREADS: '7' }, app, runtime);
    expect(parsed.sources).toMatchObject({ threads: 'env', processes: 'cmd' });
    expect(view.wsgi?.daemon).toMatchObject({ processes: 2, threads: 7 });
    expect(Object.keys(files)).toEqual(['httpd.conf', 'state.json', 'handler.wsgi', 'health.wsgi']);
    expect(JSON.parse(files['state.json'])).toEqual({ port: 8000, wsgi: true, serverRoot: '/tmp/whisk-8000-1001', command: 'apache2', healthToken: 'tok' });
    // The command states the supervisor and its delay (the image: PID 1 is dumb-init).
    const r = '/tmp/whisk-8000-1001';
    expect(view.argv).toEqual([
      '/opt/whisk/dist/shutdown-delay',
      '5',
      `${r}/probe/ready`,
      `${r}/stopping`,
      `${r}/draining`,
      '/usr/sbin/apache2',
      '-f',
      `${r}/httpd.conf`,
      '-DFOREGROUND',
    ]);
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

  it('reads .whisk/server-args only as a regular file, and as root only when root alone can write it', () => {
    const app = tempTree('prepare', { 'wsgi.py': '', secret: '--processes 9\n' });
    fs.mkdirSync(path.join(app, '.whisk'));
    const args = path.join(app, '.whisk', 'server-args');
    fs.symlinkSync(path.join(app, 'secret'), args);
    const root = { ...runtime, uid: 0 };
    expect(usageFailure(() => prepare(['wsgi.py'], {}, app, runtime))).toMatch(/^\.whisk\/server-args \(.*\): it is a symlink; allowed: a regular file$/);
    fs.rmSync(args);
    execFileSync('mkfifo', [args]);
    expect(usageFailure(() => prepare(['wsgi.py'], {}, app, root))).toMatch(
      /: it is not a regular file, and whisk runs as root; allowed: a regular file only root can write/,
    );
    fs.rmSync(args);
    fs.writeFileSync(args, '--processes 3\n', { mode: 0o664 });
    fs.chmodSync(args, 0o664);
    expect(usageFailure(() => prepare(['wsgi.py'], {}, app, root))).toMatch(/: it is writable by others than root, and whisk runs as root/);
    expect(prepare(['wsgi.py'], {}, app, runtime).view.wsgi?.daemon?.processes).toBe(3);
    fs.chmodSync(args, 0o644);
    if (process.getuid?.() === 0) {
      expect(prepare(['wsgi.py'], {}, app, root).view.wsgi?.daemon?.processes).toBe(3);
      fs.chownSync(args, 1001, 0);
      const message = usageFailure(() => prepare(['wsgi.py'], {}, app, root));
      expect(message).toMatch(/: it is owned by uid 1001, and whisk runs as root/);
      expect(message).not.toContain('--processes');
    }
  });
});
