/**
 * What the runtime reports about each request beyond the access log: `--server-timing`
 * (whisk_runtime/timing.py). The same settings for WSGI daemons and ASGI processes.
 */
import type { PlanContext } from './context.js';

/** The runtime's telemetry settings (handler.wsgi's and asgi.py's keyword arguments). */
export interface TelemetryView {
  /** `--server-timing`: each response says its queue, application and total time (Server-Timing). */
  serverTiming: boolean;
}

/** The telemetry settings of the application's processes. */
export function telemetryView(ctx: PlanContext): TelemetryView {
  return { serverTiming: ctx.options['server-timing'] };
}
