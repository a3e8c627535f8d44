/**
 * Container-aware sizing, pure: how many mod_wsgi daemon processes to run for the CPU and
 * memory limits of the container (read by system/cgroups.ts), and Apache's event MPM
 * figures derived from them the way mod_wsgi-express derives them.
 */

/** The limits the container runs under. */
export interface Limits {
  /** CPUs available: cgroup quota / period (may be fractional), else CPUs we may run on. */
  cpus: number;
  /** Where `cpus` came from, e.g. `cgroup v2 cpu.max`. */
  cpuSource: string;
  /** Memory limit in bytes, or undefined when unlimited. */
  memoryBytes?: number;
  /** Where `memoryBytes` came from. */
  memorySource: string;
}

/** Memory budgeted per daemon process: a typical Django process is 40–70 MiB resident. */
export const BYTES_PER_PROCESS = 96 * 1024 * 1024;
/** Memory kept back for the Apache parent, its children and the page cache. */
export const BYTES_RESERVED = 64 * 1024 * 1024;
/** Upper bound on computed processes, whatever the host has. */
export const MAX_COMPUTED_PROCESSES = 16;

/**
 * Daemon processes for the given limits, when `--processes` is not given:
 *
 *     processes = clamp(1, min(ceil(cpus), floor((memory - 64 MiB) / 96 MiB)), 16)
 *
 * One Python process per CPU, because the GIL lets a process run Python on one core at a
 * time; fewer when the memory limit cannot hold that many (96 MiB budgeted per process).
 * Threads (`--threads`, default 5) cover time spent waiting on I/O.
 *
 * Measured against the shapes issue 8's profile suggested (quick bench runs on 2 cores,
 * c=64, bench/results/2026-11-22-10-41-25 to -10-44-00): this shape, 2×5, gave the Django
 * page 1,080 req/s (p99 77 ms) against 961 (94 ms) for 4×1, 928 (86 ms) for 3×2 and 736
 * (112 ms) for 5×1; hello world was level within the runs' noise (3,709–4,501 req/s).
 * More single-threaded processes only add memory and context switches when pages use CPU.
 */
export function computeProcesses(limits: Limits): number {
  const byCpu = Math.ceil(limits.cpus - 1e-9);
  const byMemory = limits.memoryBytes === undefined
    ? Infinity
    : Math.floor((limits.memoryBytes - BYTES_RESERVED) / BYTES_PER_PROCESS);
  return Math.max(1, Math.min(byCpu, byMemory, MAX_COMPUTED_PROCESSES));
}

/** Apache event MPM settings. */
export interface MpmSettings {
  /** MaxRequestWorkers: most requests served at once (rounded up to whole children). */
  maxRequestWorkers: number;
  /** ServerLimit: most child processes. */
  serverLimit: number;
  /** ThreadsPerChild and ThreadLimit. */
  threadsPerChild: number;
  /** StartServers. */
  startServers: number;
  /** MinSpareThreads. */
  minSpareThreads: number;
  /** MaxSpareThreads. */
  maxSpareThreads: number;
}

/** Floor of the computed `--max-clients` (see {@link computeMaxClients}). */
export const MIN_MAX_CLIENTS = 100;
/** Largest ThreadsPerChild whisk computes (Apache's own default is 25). */
export const MAX_THREADS_PER_CHILD = 50;

/**
 * The default `--max-clients`: mod_wsgi-express's `10 + max(10, floor(1.5 × processes ×
 * threads))`, but at least 100. Apache's threads also serve static files and wait on
 * keep-alive and slow clients, so mod_wsgi-express's 20 for one process of 5 threads left
 * 64 benchmark connections queueing in the listen backlog (p99 of 500 ms at c=64 against
 * 20 ms with 100; see bench/). A given value is raised to at least processes × threads, so
 * every daemon thread can be fed.
 */
export function computeMaxClients(processes: number, threads: number, given?: number): number {
  const total = processes * threads;
  return given !== undefined ? Math.max(given, total) : Math.max(MIN_MAX_CLIENTS, 10 + Math.max(10, Math.floor(1.5 * total)));
}

/**
 * Event MPM figures for `maxClients`: few, large children (up to 50 threads each), all
 * started at once and never reaped for being idle. An event MPM child accepts connections
 * only up to its threads plus a margin, and closes keep-alive connections when over it, so
 * mod_wsgi-express's children of about 20 threads dropped ~700 keep-alive connections a
 * second at 64 connections; children of 50 drop none (measured with wrk, see bench/).
 */
export function mpmSettings(maxClients: number): MpmSettings {
  const threadsPerChild = Math.min(MAX_THREADS_PER_CHILD, maxClients);
  const serverLimit = Math.ceil(maxClients / threadsPerChild);
  const maxRequestWorkers = serverLimit * threadsPerChild;
  return {
    maxRequestWorkers,
    serverLimit,
    threadsPerChild,
    startServers: serverLimit,
    minSpareThreads: threadsPerChild,
    maxSpareThreads: maxRequestWorkers,
  };
}

/**
 * Event MPM figures for `--embedded-mode`, where each Apache child is also a Python process:
 * exactly `processes` children (the computed or given --processes), sharing `maxClients`
 * threads, so keep-alive connections are never dropped for want of a thread (see
 * {@link mpmSettings}). How many of a child's threads run Python at once is handler.wsgi's
 * gate (--threads), not the MPM: 50 threads contending for one GIL gave a p99 of 60–190 ms
 * at c=64 (issue 8's profile).
 */
export function embeddedMpmSettings(processes: number, maxClients: number): MpmSettings {
  const threadsPerChild = Math.max(Math.ceil(maxClients / processes), 1);
  const serverLimit = processes;
  const maxRequestWorkers = serverLimit * threadsPerChild;
  return {
    maxRequestWorkers, serverLimit, threadsPerChild, startServers: serverLimit,
    minSpareThreads: threadsPerChild, maxSpareThreads: maxRequestWorkers,
  };
}
