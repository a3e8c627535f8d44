import { describe, expect, it } from 'vitest';
import { computeMaxClients, computeProcesses, embeddedMpmSettings, mpmSettings, websocketLimit } from '../../../entrypoint/plan/sizing.js';
import { usageFailure } from '../../helpers/options.js';

const MiB = 1024 * 1024;

describe('computing processes', () => {
  const limits = (cpus: number, memoryBytes?: number) => ({ cpus, cpuSource: 't', memoryBytes, memorySource: 't' });
  it('runs one process per CPU, rounding a fractional quota up', () => {
    expect(computeProcesses(limits(1))).toBe(1);
    expect(computeProcesses(limits(2))).toBe(2);
    expect(computeProcesses(limits(1.5))).toBe(2);
    expect(computeProcesses(limits(0.5))).toBe(1);
    expect(computeProcesses(limits(64))).toBe(16);
  });
  it('runs fewer when memory cannot hold them', () => {
    expect(computeProcesses(limits(4, 256 * MiB))).toBe(2);
    expect(computeProcesses(limits(4, 128 * MiB))).toBe(1);
    expect(computeProcesses(limits(4, 64 * MiB))).toBe(1);
    expect(computeProcesses(limits(4, 4096 * MiB))).toBe(4);
  });
});

describe('max clients and the event MPM', () => {
  it('computes --max-clients as mod_wsgi-express does, at least 100', () => {
    expect(computeMaxClients(1, 5)).toBe(100);
    expect(computeMaxClients(16, 5)).toBe(130);
    expect(computeMaxClients(10, 10)).toBe(160);
    expect(computeMaxClients(2, 5, 8)).toBe(10);
    expect(computeMaxClients(2, 5, 30)).toBe(30);
  });
  it('gives an ASGI application 256 Apache threads a process (its requests and WebSockets), and a given value as it is', () => {
    expect(computeMaxClients(2, 5, undefined, true)).toBe(512);
    expect(computeMaxClients(1, 5, undefined, true)).toBe(256);
    expect(computeMaxClients(2, 5, 8, true)).toBe(8);
  });
  it('sizes few children of at most 50 threads, all started, none reaped', () => {
    expect(mpmSettings(100)).toEqual({
      threadsPerChild: 50,
      serverLimit: 2,
      maxRequestWorkers: 100,
      startServers: 2,
      minSpareThreads: 50,
      maxSpareThreads: 100,
    });
    expect(mpmSettings(30)).toMatchObject({ threadsPerChild: 30, serverLimit: 1, maxRequestWorkers: 30 });
    const m = mpmSettings(130);
    expect(m).toMatchObject({ threadsPerChild: 50, serverLimit: 3, maxRequestWorkers: 150 });
    expect(m.maxSpareThreads).toBeGreaterThanOrEqual(m.minSpareThreads + m.threadsPerChild);
  });
});

describe('embedded mode', () => {
  it('runs exactly --processes Apache children, sharing max-clients threads', () => {
    expect(embeddedMpmSettings(1, 100)).toMatchObject({ serverLimit: 1, threadsPerChild: 100, maxRequestWorkers: 100, startServers: 1 });
    expect(embeddedMpmSettings(2, 100)).toMatchObject({ serverLimit: 2, threadsPerChild: 50, maxRequestWorkers: 100 });
    expect(embeddedMpmSettings(3, 100)).toMatchObject({ serverLimit: 3, threadsPerChild: 34, maxRequestWorkers: 102 });
  });
});

describe('--max-websockets', () => {
  it('keeps a tenth of the threads (at least one) from WebSockets by default; a given value may leave one', () => {
    expect(websocketLimit(512)).toBe(460);
    expect(websocketLimit(10)).toBe(9);
    expect(websocketLimit(2)).toBe(1);
    expect(websocketLimit(100, 99)).toBe(99);
    expect(usageFailure(() => websocketLimit(100, 100))).toMatch(/^--max-websockets: 100 would leave Apache no thread .* allowed: 1 to 99/);
  });
});
