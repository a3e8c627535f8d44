/**
 * The application's processes of a running server, and their restart one at a time (whisk
 * reload), with a small supervisor of real processes standing in for Apache's parent: it
 * starts another whenever one exits, as mod_wsgi does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { appProcesses, isAppProcess, restartOneByOne } from '../../../entrypoint/system/app-processes.js';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = '/tmp/whisk-80-1001';

describe('isAppProcess', () => {
  it.each([
    ['(wsgi:whisk)      -f /tmp/whisk-80-1001/httpd.conf -DFOREGROUND', true],
    ['(service:celery-beat) -f /tmp/whisk-80-1001/httpd.conf -DFOREGROUND', true],
    ['/usr/bin/python3 /tmp/whisk-80-1001/asgi.py 0', true],
    ['(wsgi:whisk-metrics) -f /tmp/whisk-80-1001/httpd.conf -DFOREGROUND', false],
    ['/usr/sbin/apache2 -f /tmp/whisk-80-1001/httpd.conf -DFOREGROUND', false],
    ['/usr/bin/perl /tmp/whisk-80-1001/access-log.pl', false],
    ['/usr/bin/python3 /tmp/other/asgi.py 0', false],
    ['/usr/bin/python3 /tmp/whisk-80-1001/asgi.pyc 0', false],
  ])('%s: %s', (command, expected) => {
    expect(isAppProcess(command, ROOT)).toBe(expected);
  });
});

describe('restartOneByOne', () => {
  let supervisor: ChildProcess | undefined;
  afterEach(() => {
    try {
      if (supervisor?.pid) process.kill(-supervisor.pid, 'SIGKILL');
    } catch {
      /* the group has exited */
    }
  });

  it('signals each process in turn and waits for its successor, leaving the others alone', async () => {
    // Two "daemon processes" shown as (wsgi:whisk), restarted when they exit, and one other child.
    const script = 'for i in 1 2; do (while :; do bash -c \'exec -a "(wsgi:whisk)" sleep 300\'; done) & done; sleep 300 & wait';
    supervisor = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
    // The loops are the daemons' parents here (Apache's parent in the real server).
    let before: { parent: number; pid: number }[] = [];
    for (let i = 0; i < 100 && before.length < 2; i++) {
      await sleep(50);
      before = loopsAndDaemons();
    }
    expect(before).toHaveLength(2);
    const [{ parent }] = before;
    const mine = appProcesses(parent, ROOT);
    expect(mine.map((p) => p.pid)).toEqual([before[0].pid]);
    expect(mine[0].command).toBe('(wsgi:whisk) 300');
    expect(await restartOneByOne(parent, ROOT, mine, 10_000)).toEqual([]);
    const after = appProcesses(parent, ROOT);
    expect(after).toHaveLength(1);
    expect(after[0].pid).not.toBe(mine[0].pid);
    // The other loop's daemon was not touched.
    expect(appProcesses(before[1].parent, ROOT).map((p) => p.pid)).toEqual([before[1].pid]);
  });

  it('reports a process whose successor does not come within the limit', async () => {
    supervisor = spawn('bash', ['-c', 'bash -c \'exec -a "(wsgi:whisk)" sleep 300\' & wait'], { detached: true, stdio: 'ignore' });
    let found: { parent: number; pid: number }[] = [];
    for (let i = 0; i < 100 && found.length < 1; i++) {
      await sleep(50);
      found = loopsAndDaemons();
    }
    const [{ parent }] = found;
    const mine = appProcesses(parent, ROOT);
    const late = await restartOneByOne(parent, ROOT, mine, 500);
    expect(late.map((p) => p.pid)).toEqual(mine.map((p) => p.pid));
  });

  /** The supervisor's "(wsgi:whisk)" processes, with their parents, found through /proc. */
  function loopsAndDaemons(): { parent: number; pid: number }[] {
    const found: { parent: number; pid: number }[] = [];
    for (const e of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        if (!fs.readFileSync(`/proc/${e}/cmdline`, 'latin1').startsWith('(wsgi:whisk)')) continue;
        const stat = fs.readFileSync(`/proc/${e}/stat`, 'latin1');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (isDescendant(parent, supervisor!.pid!)) found.push({ parent, pid: Number(e) });
      } catch {
        /* gone */
      }
    }
    return found.sort((a, b) => a.pid - b.pid);
  }

  function isDescendant(pid: number, ancestor: number): boolean {
    for (let p = pid, i = 0; p > 1 && i < 10; i++) {
      if (p === ancestor) return true;
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'latin1');
      p = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    }
    return false;
  }
});
