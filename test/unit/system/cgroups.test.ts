import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { readLimits } from '../../../entrypoint/system/cgroups.js';
import { tempTree } from '../../helpers/files.js';

const MiB = 1024 * 1024;
const fakeRoot = (files: Record<string, string>) => tempTree('cg', files);

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
