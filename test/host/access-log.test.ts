/**
 * The piped access logger (templates/access-log.pl.mustache), run by the host's Perl as Apache
 * runs it: lines in on stdin, out on stdout in batches at most 50 ms old, nothing lost at end
 * of input or on TERM. (Through a real Apache: logs.test.ts and the image tests.)
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { afterEach, describe, expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../entrypoint/plan/render.js';
import { tempTree } from '../helpers/files.js';
import { setTimeout as sleep } from 'node:timers/promises';

const running: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.kill('SIGKILL');
});

/** Starts the logger; `chunks` collects what each read of its stdout got, with the time. */
function logger(json = false) {
  const dir = tempTree('access-log');
  const script = path.join(dir, 'access-log.pl');
  fs.writeFileSync(script, Mustache.render(fs.readFileSync(path.join(TEMPLATES_DIR, 'access-log.pl.mustache'), 'utf8'), { json }));
  const p = spawn('/usr/bin/env', ['-i', '/usr/bin/perl', script]);
  running.push(p);
  const chunks: { at: number; text: string }[] = [];
  p.stdout.on('data', (d: Buffer) => chunks.push({ at: performance.now(), text: d.toString('latin1') }));
  let stderr = '';
  p.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
  return { p, chunks, output: () => chunks.map((c) => c.text).join(''), stderr: () => stderr, exited };
}

describe('the piped access logger', () => {
  it('passes a lone line on within a fraction of a second, without waiting for more', async () => {
    const l = logger();
    const sent = performance.now();
    l.p.stdin.write('127.0.0.1 - - "GET / HTTP/1.1" 200 2\n');
    while (!l.chunks.length && performance.now() - sent < 5000) await sleep(5);
    expect(l.output()).toBe('127.0.0.1 - - "GET / HTTP/1.1" 200 2\n');
    expect(l.chunks[0].at - sent).toBeLessThan(1000);
  });

  it('passes lines arriving one by one on in a few batches, every byte in order', async () => {
    const l = logger();
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} \u00e9 "q" \\ ${'x'.repeat(i % 50)}\n`);
    for (const line of lines) {
      l.p.stdin.write(line, 'latin1');
      await sleep(1);
    }
    l.p.stdin.end();
    expect(await l.exited).toBe(0);
    expect(l.output()).toBe(lines.join(''));
    // A write per line (what cat did) would give about one read per line.
    expect(l.chunks.length).toBeLessThan(60);
  });

  it('writes what it holds, a last line without its newline too, at end of input', async () => {
    const l = logger();
    l.p.stdin.write('one\ntwo\nthree without newline');
    l.p.stdin.end();
    expect(await l.exited).toBe(0);
    expect(l.output()).toBe('one\ntwo\nthree without newline');
  });

  it('writes every line received before it exits on TERM (Apache stopping its piped loggers)', async () => {
    const l = logger();
    l.p.stdin.write('first\n');
    // Once the first line is out, Perl has started and set its TERM handler (on a busy
    // machine that takes longer than a few ms; Apache's logger has long been running then).
    for (const until = performance.now() + 5000; !l.output().includes('first\n') && performance.now() < until; ) await sleep(5);
    l.p.stdin.write('second\nthird\n');
    await sleep(5);
    l.p.kill('SIGTERM');
    expect(await l.exited).toBe(0);
    expect(l.output()).toBe('first\nsecond\nthird\n');
    expect(l.stderr()).toBe('');
  });

  it('passes a line longer than its 64 KiB batch on whole', async () => {
    const l = logger();
    const long = `${'y'.repeat(200_000)}\n`;
    l.p.stdin.write(long);
    l.p.stdin.end();
    expect(await l.exited).toBe(0);
    expect(l.output()).toBe(long);
  });

  it('turns the escapes Apache writes into JSON ones for --access-log-format json', async () => {
    const l = logger(true);
    l.p.stdin.write('{"path":"/a\\x01b\\vc\\"d\\\\e"}\n');
    l.p.stdin.end();
    expect(await l.exited).toBe(0);
    expect(JSON.parse(l.output())).toEqual({ path: '/a\u0001b\u000bc"d\\e' });
  });
});
