/**
 * Recycling the application's processes (--maximum-requests with --maximum-requests-jitter,
 * --maximum-rss), by what a user sees: every request answered while processes are replaced,
 * new pids, one log line a recycle saying why, and the count in /.whisk/metrics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixture } from '../helpers/files.js';
import { request } from '../helpers/http.js';
import { start, stopAll, tempApp } from '../helpers/host.js';
import { setTimeout as sleep } from 'node:timers/promises';

afterEach(stopAll);

/** `count` requests for `path` from `clients` loops at once; every status and body. */
async function load(port: number, path: string, clients: number, count: number): Promise<{ status: number; body: string }[]> {
  const out: { status: number; body: string }[] = [];
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < count; i++) {
        const started = Date.now();
        // A failure is an answer too (status 0), so the assertion shows every one.
        const r = await request(port, path).catch((error: Error) => ({ status: 0, body: `${error.message} after ${Date.now() - started} ms` }));
        out.push({ status: r.status, body: r.body });
      }
    }),
  );
  return out;
}

/** The value of one sample of /.whisk/metrics. */
async function sample(port: number, name: string): Promise<number | undefined> {
  const line = (await request(port, '/.whisk/metrics')).body.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

/** Requests `/` one after another until a process other than `pid` answers (each must be a 200); its pid. */
async function untilAnotherProcess(port: number, pid: string): Promise<string> {
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    const r = await request(port, '/');
    expect(r.status).toBe(200);
    if (r.body !== pid) return r.body;
    await sleep(50);
  }
  throw new Error(`process ${pid} still answers after 15 s`);
}

const RECYCLED = /^whisk: recycling process (\d+): (\d+) requests served \(--maximum-requests\); it finishes its requests and is replaced$/gm;

describe('--maximum-requests with --maximum-requests-jitter (WSGI)', () => {
  it('recycles each daemon after its own count, between the two, and no request fails', async () => {
    const s = await start(tempApp('recycle-requests', fixture('recycling-app.py')), [
      '--processes',
      '2',
      '--threads',
      '2',
      '--maximum-requests',
      '4',
      '--maximum-requests-jitter',
      '4',
      '--metrics',
      'wsgi.py',
    ]);
    const answers = await load(s.port, '/slow', 4, 12);
    expect(
      answers.filter((a) => a.status !== 200),
      s.output().slice(-3000),
    ).toEqual([]);
    expect(new Set(answers.map((a) => a.body)).size).toBeGreaterThan(2);
    await sleep(1000);
    const recycles = [...s.output().matchAll(RECYCLED)];
    expect(recycles.length, s.output().slice(-3000)).toBeGreaterThanOrEqual(2);
    // Each after its own draw: 4 requests and up to 4 more.
    for (const [, , served] of recycles) expect([4, 5, 6, 7, 8]).toContain(Number(served));
    // The counter says the same as the log (both written as the process retires; read again
    // a moment later if the log's last line is not out yet).
    let counted = await sample(s.port, 'whisk_process_recycles_total{reason="requests"}');
    for (let i = 0; i < 20 && counted !== [...s.output().matchAll(RECYCLED)].length; i++) {
      await sleep(100);
      counted = await sample(s.port, 'whisk_process_recycles_total{reason="requests"}');
    }
    expect(counted).toBe([...s.output().matchAll(RECYCLED)].length);
  });
});

describe('--maximum-rss', () => {
  it('WSGI: a daemon over the limit finishes its request and is replaced; the next requests are answered by its successor', async () => {
    const s = await start(tempApp('recycle-rss', fixture('recycling-app.py')), ['--processes', '1', '--maximum-rss', '100', '--metrics', 'wsgi.py']);
    const before = (await request(s.port, '/')).body;
    expect((await request(s.port, '/grow?150')).status).toBe(200);
    // Memory is read after a request, at most once a second: the next request past that reads it.
    await sleep(1200);
    const after = await load(s.port, '/', 2, 10);
    expect(after.filter((a) => a.status !== 200)).toEqual([]);
    expect(after.at(-1)?.body).not.toBe(before);
    expect(s.output()).toMatch(
      new RegExp(
        `^whisk: recycling process ${before}: resident memory 1[5-9]\\d MiB is over --maximum-rss 100 MiB; it finishes its requests and is replaced$`,
        'm',
      ),
    );
    expect(await sample(s.port, 'whisk_process_recycles_total{reason="memory"}')).toBe(1);
    expect(await sample(s.port, 'whisk_process_recycles_total{reason="requests"}')).toBe(0);
  });

  it('ASGI: the same for a uvicorn process, and --maximum-requests recycles it too', async () => {
    const app = tempApp('recycle-asgi', '', { 'app.py': fixture('recycling-asgi.py') });
    const s = await start(
      app,
      ['--application-type', 'asgi', '--processes', '1', '--maximum-rss', '100', '--maximum-requests', '6', '--metrics', 'app:app'],
      '/.whisk/ready',
    );
    const first = (await request(s.port, '/')).body;
    expect((await request(s.port, '/grow?150')).status).toBe(200);
    await sleep(1200);
    // The next request reads the memory; the process stops as at a restart (it may answer a few
    // more while it stops) and its successor answers from then on.
    const second = await untilAnotherProcess(s.port, first);
    expect(s.output()).toMatch(new RegExp(`^whisk: recycling process ${first}: resident memory \\d+ MiB is over --maximum-rss 100 MiB`, 'm'));
    // The successor is recycled after its 6 requests (the one that found it counts).
    await untilAnotherProcess(s.port, second);
    expect(s.output()).toMatch(new RegExp(`^whisk: recycling process ${second}: 6 requests served \\(--maximum-requests\\)`, 'm'));
    expect(await sample(s.port, 'whisk_process_recycles_total{reason="memory"}')).toBe(1);
    expect(await sample(s.port, 'whisk_process_recycles_total{reason="requests"}')).toBe(1);
  });
});

const EXPIRED = /^whisk: recycling process (\d+): (\d+) s running \(--restart-interval\); it finishes its requests and is replaced$/gm;

describe('--restart-interval with --restart-interval-jitter', () => {
  it.each([
    ['WSGI', 'wsgi.py', ['wsgi.py'], '/.whisk/health'],
    ['ASGI', 'app.py', ['--application-type', 'asgi', 'app:app'], '/.whisk/ready'],
  ])('%s: restarts each process after its own drawn lifetime, idle or not, and no request fails', async (_, file, args, waitPath) => {
    const fixtureName = file === 'wsgi.py' ? 'recycling-app.py' : 'recycling-asgi.py';
    const s = await start(
      tempApp('restart-interval', '', { [file]: fixture(fixtureName) }),
      ['--processes', '2', '--restart-interval', '1', '--restart-interval-jitter', '4', '--metrics', ...args],
      waitPath,
    );
    // Two clients for 12 s: each process lives 1 to 5 s (and an ASGI one takes ~2 s to stop), so several are replaced meanwhile.
    const answers: { status: number; body: string }[] = [];
    const until = Date.now() + 12_000;
    await Promise.all(
      [0, 1].map(async () => {
        while (Date.now() < until) {
          const r = await request(s.port, '/').catch((error: Error) => ({ status: 0, body: error.message }));
          answers.push({ status: r.status, body: r.body });
          await sleep(50);
        }
      }),
    );
    expect(
      answers.filter((a) => a.status !== 200),
      s.output().slice(-3000),
    ).toEqual([]);
    const expired = [...s.output().matchAll(EXPIRED)];
    expect(expired.length, s.output().slice(-3000)).toBeGreaterThanOrEqual(4);
    const lifetimes = expired.map(([, , seconds]) => Number(seconds));
    for (const l of lifetimes) expect([1, 2, 3, 4, 5]).toContain(l);
    // Drawn once a process: not all the same (all equal by chance: 1 in 125 with 4 draws, 1 in 625 with 5).
    expect(new Set(lifetimes).size, lifetimes.join(' ')).toBeGreaterThan(1);
    expect(new Set(answers.map((a) => a.body)).size).toBeGreaterThan(3);
    expect(await sample(s.port, 'whisk_process_recycles_total{reason="interval"}')).toBeGreaterThanOrEqual(expired.length);
  });
});
