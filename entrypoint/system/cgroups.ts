/**
 * The container's CPU and memory limits, read from its cgroup (v2 or v1) at the start, for
 * plan/sizing.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Limits } from '../plan/sizing.js';

function read(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Reads the CPU and memory limits of this process's cgroup.
 * cgroup v2: `cpu.max` ("QUOTA PERIOD" or "max PERIOD") and `memory.max` ("max" or bytes).
 * cgroup v1: `cpu.cfs_quota_us` / `cpu.cfs_period_us` and `memory.limit_in_bytes`.
 * Without a CPU quota: `os.availableParallelism()` (the affinity mask, so `--cpuset-cpus` counts).
 *
 * @param root filesystem root to read `/sys` and `/proc` under (tests pass a fake tree)
 */
export function readLimits(root = '/'): Limits {
  const cg = path.join(root, 'sys/fs/cgroup');
  const hostMemory = os.totalmem();
  let cpus = os.availableParallelism();
  let cpuSource = 'CPUs available to the process';
  let memoryBytes: number | undefined;
  let memorySource = 'no limit';

  // cgroup v2 is mounted at /sys/fs/cgroup: this process's own cgroup in it (the `0::` line of
  // /proc/self/cgroup; "/" in a container with its own cgroup namespace), or the root. On v1
  // and hybrid hosts /proc/self/cgroup is not read: its lines name the container, which the
  // start cache's key (system/start-cache.ts) must not hold when nothing here uses them.
  let v2: string | undefined;
  if (fs.existsSync(path.join(cg, 'cgroup.controllers'))) {
    const v2path = /^0::(.*)$/m.exec(read(path.join(root, 'proc/self/cgroup')) ?? '')?.[1] ?? '/';
    v2 = [path.join(cg, v2path), cg].find((d) => fs.existsSync(path.join(d, 'cgroup.controllers')));
  }
  if (v2) {
    const cpuMax = read(path.join(v2, 'cpu.max'));
    const [quota, period] = (cpuMax ?? 'max').split(/\s+/);
    if (quota !== 'max' && Number(period) > 0) {
      cpus = Math.min(cpus, Number(quota) / Number(period));
      cpuSource = 'cgroup v2 cpu.max';
    }
    const memMax = read(path.join(v2, 'memory.max'));
    if (memMax && memMax !== 'max') {
      memoryBytes = Number(memMax);
      memorySource = 'cgroup v2 memory.max';
    }
  } else {
    const quota = Number(read(path.join(cg, 'cpu/cpu.cfs_quota_us')) ?? -1);
    const period = Number(read(path.join(cg, 'cpu/cpu.cfs_period_us')) ?? 0);
    if (quota > 0 && period > 0) {
      cpus = Math.min(cpus, quota / period);
      cpuSource = 'cgroup v1 cpu.cfs_quota_us';
    }
    const mem = Number(read(path.join(cg, 'memory/memory.limit_in_bytes')) ?? NaN);
    // v1 reports "unlimited" as a huge page-aligned number.
    if (Number.isFinite(mem) && mem > 0 && mem < hostMemory) {
      memoryBytes = mem;
      memorySource = 'cgroup v1 memory.limit_in_bytes';
    }
  }
  return { cpus, cpuSource, memoryBytes, memorySource };
}
