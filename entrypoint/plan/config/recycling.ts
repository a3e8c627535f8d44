/**
 * Recycling the application's processes before they bloat (whisk_runtime/recycle.py):
 * `--maximum-requests` with `--maximum-requests-jitter`, and `--maximum-rss`. mod_wsgi's own
 * `maximum-requests=` counts a daemon's requests when there is no jitter (it has none to
 * offer); whisk's runtime counts them otherwise, and always for an ASGI process (uvicorn
 * runs outside mod_wsgi's count). Memory is always the runtime's: mod_wsgi's `memory-limit=`
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
}

/** Whether mod_wsgi's `maximum-requests=` counts a WSGI daemon's requests (no jitter asked for). */
export function modWsgiCountsRequests(ctx: PlanContext): boolean {
  return ctx.options['maximum-requests-jitter'] === 0;
}

/** The runtime's recycling limits for the application's processes (WSGI daemons or ASGI processes). */
export function recyclingView(ctx: PlanContext): RecyclingView {
  const { options } = ctx;
  const runtimeCounts = ctx.kind === 'asgi' || !modWsgiCountsRequests(ctx);
  return {
    maximumRequests: runtimeCounts ? options['maximum-requests'] : 0,
    maximumRequestsJitter: runtimeCounts ? options['maximum-requests-jitter'] : 0,
    maximumRss: options['maximum-rss'] * 1024 * 1024,
  };
}
