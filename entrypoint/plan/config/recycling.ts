/**
 * Recycling the application's processes before they bloat (whisk_runtime/recycle.py):
 * `--maximum-requests` with `--maximum-requests-jitter`, `--restart-interval` with
 * `--restart-interval-jitter`, and `--maximum-rss`. mod_wsgi's own `maximum-requests=` and
 * `restart-interval=` recycle a daemon when there is no jitter (they have none to offer;
 * `restart-interval=` restarts a group's daemons together); whisk's runtime does otherwise,
 * and always for an ASGI process (uvicorn runs outside mod_wsgi's count and timer). Memory is always the runtime's: mod_wsgi's `memory-limit=`
 * caps only the data segment on Linux, which makes a request fail instead of the process
 * being replaced.
 */
import type { PlanContext } from './context.js';

/** What the runtime recycles a process by; 0 for none. */
export interface RecyclingView {
  /** `--maximum-requests` when the runtime counts them, else 0 (mod_wsgi's `maximum-requests=` does). */
  maximumRequests: number;
  /** `--maximum-requests-jitter`: up to this many more, drawn once a process. */
  maximumRequestsJitter: number;
  /** `--maximum-rss` in bytes. */
  maximumRss: number;
  /** `--restart-interval` in seconds when the runtime times it, else 0 (mod_wsgi's `restart-interval=` does). */
  restartInterval: number;
  /** `--restart-interval-jitter`: up to this many more seconds, drawn once a process. */
  restartIntervalJitter: number;
}

/** Whether mod_wsgi's `maximum-requests=` counts a WSGI daemon's requests (no jitter asked for). */
export function modWsgiCountsRequests(ctx: PlanContext): boolean {
  return ctx.options['maximum-requests-jitter'] === 0;
}

/** Whether mod_wsgi's `restart-interval=` restarts a WSGI daemon (no jitter asked for). */
export function modWsgiTimesRestarts(ctx: PlanContext): boolean {
  return ctx.options['restart-interval-jitter'] === 0;
}

/** The runtime's recycling limits for the application's processes (WSGI daemons or ASGI processes). */
export function recyclingView(ctx: PlanContext): RecyclingView {
  const { options } = ctx;
  const runtimeCounts = ctx.kind === 'asgi' || !modWsgiCountsRequests(ctx);
  const runtimeTimes = ctx.kind === 'asgi' || !modWsgiTimesRestarts(ctx);
  return {
    maximumRequests: runtimeCounts ? options['maximum-requests'] : 0,
    maximumRequestsJitter: runtimeCounts ? options['maximum-requests-jitter'] : 0,
    maximumRss: options['maximum-rss'] * 1024 * 1024,
    restartInterval: runtimeTimes ? options['restart-interval'] : 0,
    restartIntervalJitter: runtimeTimes ? options['restart-interval-jitter'] : 0,
  };
}
