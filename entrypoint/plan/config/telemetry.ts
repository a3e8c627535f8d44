/**
 * What the runtime reports beyond the access log: `--server-timing`
 * (whisk_runtime/timing.py) and, with `--metrics`, the application's own prometheus_client
 * metrics shared across processes (common.py's share_application_metrics). The same settings
 * for WSGI daemons and ASGI processes.
 */
import type { PlanContext } from './context.js';

/** The runtime's telemetry settings (handler.wsgi's and asgi.py's keyword arguments). */
export interface TelemetryView {
  /** `--server-timing`: each response says its queue, application and total time (Server-Timing). */
  serverTiming: boolean;
  /**
   * `--metrics`: the directory the application's prometheus_client keeps its metrics in
   * (`PROMETHEUS_MULTIPROC_DIR`), which /.whisk/metrics adds up; `""` without `--metrics`.
   */
  applicationMetricsDir: string;
}

/** The telemetry settings of the application's processes. */
export function telemetryView(ctx: PlanContext): TelemetryView {
  const { options, paths } = ctx;
  return { serverTiming: options['server-timing'], applicationMetricsDir: options.metrics ? paths.applicationMetricsDir : '' };
}
