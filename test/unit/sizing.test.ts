import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeMaxClients, computeProcesses, mpmSettings, readLimits } from '../../entrypoint/sizing.js';

const MiB = 1024 * 1024;
function fakeRoot(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'whisk-cg-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('reading container limits', () => {
  it('reads cgroup v2 cpu.max and memory.max', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory',
      'sys/fs/cgroup/cpu.max': '150000 100000',
      'sys/fs/cgroup/memory.max': String(256 * MiB),
    });
    expect(readLimits(root)).toMatchObject({ cpus: Math.min(1.5, os.availableParallelism()), memoryBytes: 256 * MiB, memorySource: 'cgroup v2 memory.max' });
  });

  it('reads "max" as no limit', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '0::/\n',
      'sys/fs/cgroup/cgroup.controllers': 'cpu memory',
      'sys/fs/cgroup/cpu.max': 'max 100000',
      'sys/fs/cgroup/memory.max': 'max',
    });
    expect(readLimits(root)).toMatchObject({ cpus: os.availableParallelism(), memoryBytes: undefined });
  });

  it('reads cgroup v1 quota and memory limit, treating the huge default as unlimited', () => {
    const root = fakeRoot({
      'proc/self/cgroup': '4:memory:/docker/x\n',
      'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '100000',
      'sys/fs/cgroup/cpu/cpu.cfs_period_us': '100000',
      'sys/fs/cgroup/memory/memory.limit_in_bytes': String(512 * MiB),
    });
    expect(readLimits(root)).toMatchObject({ cpus: 1, cpuSource: 'cgroup v1 cpu.cfs_quota_us', memoryBytes: 512 * MiB });
    const unlimited = fakeRoot({ 'sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712', 'sys/fs/cgroup/cpu/cpu.cfs_quota_us': '-1' });
    expect(readLimits(unlimited).memoryBytes).toBeUndefined();
  });
});

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
  it('sizes few children of at most 50 threads, all started, none reaped', () => {
    expect(mpmSettings(100)).toEqual({ threadsPerChild: 50, serverLimit: 2, maxRequestWorkers: 100, startServers: 2, minSpareThreads: 50, maxSpareThreads: 100 });
    expect(mpmSettings(30)).toMatchObject({ threadsPerChild: 30, serverLimit: 1, maxRequestWorkers: 30 });
    const m = mpmSettings(130);
    expect(m).toMatchObject({ threadsPerChild: 50, serverLimit: 3, maxRequestWorkers: 150 });
    expect(m.maxSpareThreads).toBeGreaterThanOrEqual(m.minSpareThreads + m.threadsPerChild);
  });
});

describe('embedded mode', () => {
  it('runs exactly --processes Apache children, sharing max-clients threads', async () => {
    const { embeddedMpmSettings } = await import('../../entrypoint/sizing.js');
    expect(embeddedMpmSettings(1, 100)).toMatchObject({ serverLimit: 1, threadsPerChild: 100, maxRequestWorkers: 100, startServers: 1 });
    expect(embeddedMpmSettings(2, 100)).toMatchObject({ serverLimit: 2, threadsPerChild: 50, maxRequestWorkers: 100 });
    expect(embeddedMpmSettings(3, 100)).toMatchObject({ serverLimit: 3, threadsPerChild: 34, maxRequestWorkers: 102 });
  });
});
