/**
 * Container-aware sizing, pure: how many mod_wsgi daemon processes to run for the CPU and
 * memory limits of the container (read by system/cgroups.ts), and Apache's event MPM
 * figures derived from them the way mod_wsgi-express derives them.
 */
import { UsageError } from '../errors.js';

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
const BYTES_PER_PROCESS = 96 * 1024 * 1024;
/** Memory kept back for the Apache parent, its children and the page cache. */
const BYTES_RESERVED = 64 * 1024 * 1024;
/** Upper bound on computed processes, whatever the host has. */
const MAX_COMPUTED_PROCESSES = 16;

/**
 * Daemon processes for the given limits, when `--processes` is not given:
 *
 *     processes = clamp(1, min(ceil(cpus), floor((memory - 64 MiB) / 96 MiB)), 16)
 *
 * One Python process per CPU, because the GIL lets a process run Python on one core at a
 * time; fewer when the memory limit cannot hold that many (96 MiB budgeted per process).
 * Threads (`--threads`, default 5) cover time spent waiting on I/O.
 *
 * The shape (2 processes × 5 threads on 2 CPUs) was chosen from benchmark runs against
 * single-threaded and smaller-threaded shapes on the Django page (bench/results/
 * 2026-11-22-10-41-25 to -10-44-00); docs/production.md "Container-aware sizing" has the figures. More
 * single-threaded processes only add memory and context switches when pages use CPU.
 * Checked again on 2026-12-02 (bench/README.md "Benchmark", Python pages): 2 × 3 against 2 × 5 on the
 * Django page, in alternated 3 s cells of containers running side by side, cost ×0.964 the
 * CPU a request for ×1.014 the requests, less than the machine's own swing, so the default
 * stays 5 threads, which a page waiting on its database needs; the full run of that day
 * (bench/results/2026-12-02-07-35-26) has 2 × 5 at 1,151–1,217 req/s on the Django page,
 * and the next (bench/results/2026-12-02-13-31-32) at 1,671–1,774, level with uWSGI's 2
 * single-threaded processes (1,713–1,748) on the same run.
 */
export function computeProcesses(limits: Limits): number {
  const byCpu = Math.ceil(limits.cpus - 1e-9);
  const byMemory = limits.memoryBytes === undefined ? Infinity : Math.floor((limits.memoryBytes - BYTES_RESERVED) / BYTES_PER_PROCESS);
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

/**
 * Apache threads a default ASGI application gets per uvicorn process. An ASGI process serves
 * any number of requests and WebSockets at once, but Apache holds a thread for each request
 * it proxies and each WebSocket it tunnels, so the threads are the container's capacity. 256
 * a process (550 on 2 CPUs, in whole children of 50 threads): the ASGI benchmark's 512
 * connections awaiting 10 ms each found Apache closing kept-alive connections (2,695 read
 * errors in 8 s) with 100 threads, 52 with 512; idle memory 101 → 110 MiB, still under
 * nginx → uvicorn's 115 (bench/results/*-asgi.md).
 */
const ASGI_CLIENTS_PER_PROCESS = 256;
/** Floor of the computed `--max-clients` (see {@link computeMaxClients}). */
const MIN_MAX_CLIENTS = 100;
/** Largest ThreadsPerChild whisk computes (Apache's own default is 25). */
const MAX_THREADS_PER_CHILD = 50;

/**
 * The default `--max-clients`: mod_wsgi-express's `10 + max(10, floor(1.5 × processes ×
 * threads))`, but at least 100. Apache's threads also serve static files and wait on
 * keep-alive and slow clients, so mod_wsgi-express's 20 for one process of 5 threads left
 * benchmark connections queueing in the listen backlog (docs/production.md "Container-aware sizing").
 * A given value is raised to at least processes × threads, so every daemon thread can be fed.
 * For an ASGI application (`asgi`), at least 256 a process, and a given value is kept as it is
 * (uvicorn has no threads to feed).
 */
export function computeMaxClients(processes: number, threads: number, given?: number, asgi = false): number {
  const total = processes * threads;
  if (given !== undefined) return asgi ? given : Math.max(given, total);
  const computed = Math.max(MIN_MAX_CLIENTS, 10 + Math.max(10, Math.floor(1.5 * total)));
  return asgi ? Math.max(computed, ASGI_CLIENTS_PER_PROCESS * processes) : computed;
}

/**
 * Event MPM figures for `maxClients`: few, large children (up to 50 threads each), all
 * started at once and never reaped for being idle. An event MPM child accepts connections
 * only up to its threads plus a margin, and closes keep-alive connections when over it, so
 * mod_wsgi-express's children of about 20 threads dropped keep-alive connections under the
 * benchmark's 64 connections, where children of 50 drop none (docs/production.md "Container-aware sizing").
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
 * gate (--threads), not the MPM: 50 threads contending for one GIL lengthen the tail
 * (docs/production.md "Daemon mode or embedded mode").
 */
export function embeddedMpmSettings(processes: number, maxClients: number): MpmSettings {
  const threadsPerChild = Math.max(Math.ceil(maxClients / processes), 1);
  const serverLimit = processes;
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
 * mod_http2's worker threads in each Apache child, both `H2MinWorkers` and `H2MaxWorkers`:
 * as many as the child's own threads, all started at once, like the MPM's. Over HTTP/2 a request runs on one of these, not on an MPM
 * thread (the connection holds one of those only while it has streams to serve), so without
 * this a child would run up to 1.5 × ThreadsPerChild requests at once (mod_http2's default
 * `H2MaxWorkers`, h2_config.c), over `--max-clients`; with it `--max-clients` bounds the
 * requests served at once over either protocol.
 */
export function h2Workers(mpm: MpmSettings): number {
  return mpm.threadsPerChild;
}

/**
 * The most WebSockets an ASGI application holds open at once (`--max-websockets`), over all
 * its processes. Apache 2.4 keeps a worker thread for each tunnel (mod_proxy's
 * `ap_proxy_tunnel_run`), so a client that opened `--max-clients` of them would leave none for
 * `/.whisk/live`, static files or any other request, and the orchestrator would restart the
 * container. The default keeps a tenth of the threads (at least one) for them; a child whose
 * threads are all busy stops accepting, so new connections reach one with threads free.
 *
 * @param maxRequestWorkers Apache's threads in all (`MaxRequestWorkers`)
 * @param given `--max-websockets`, if given
 * @returns the limit, connections
 * @throws {UsageError} a given value that leaves no thread free (over maxRequestWorkers - 1)
 */
export function websocketLimit(maxRequestWorkers: number, given?: number): number {
  if (given === undefined) return maxRequestWorkers - Math.max(1, Math.ceil(maxRequestWorkers / 10));
  if (given > maxRequestWorkers - 1) {
    throw new UsageError(
      `--max-websockets: ${given} would leave Apache no thread for probes and other requests (each open WebSocket holds one of its ${maxRequestWorkers}, --max-clients); allowed: 1 to ${maxRequestWorkers - 1}, or a larger --max-clients`,
    );
  }
  return given;
}
