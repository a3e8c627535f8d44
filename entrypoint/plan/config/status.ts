/**
 * `--server-status` and `--metrics`: Apache's status page (mod_status) and whisk's
 * Prometheus endpoint (metrics.wsgi, which reads that page and each daemon's figures).
 */
import net from 'node:net';
import { localBaseUrl } from '../../address.js';
import type { PlanContext } from './context.js';
import { apacheNetworks } from './proxy.js';

/** What httpd.conf needs for the status page and the metrics endpoint. */
export interface StatusView {
  /**
   * `--server-status` or `--metrics`: mod_status at /server-status (metrics.wsgi reads it),
   * with `Require ip` for each `--status-allow` network besides local clients.
   */
  status?: { allow: string[]; public: boolean };
  /** `--metrics`: metrics.wsgi and where it reads Apache's status from. */
  metrics?: MetricsView;
  /** {@link localExpr}: the ap_expr for "a client on this machine". */
  localExpr: string;
}

/** `/.whisk/metrics`: metrics.wsgi, and the mod_wsgi daemon it runs in. */
export interface MetricsView {
  script: string;
  /** mod_status's `?auto` page, asked over the loopback. */
  statusUrl: string;
  /** Where each application process writes its figures (PID.json) and its starts. */
  dir: string;
  /** Where the application's processes keep their own prometheus_client metrics (multiprocess mode). */
  applicationDir: string;
  /** The virtual environment the application's prometheus_client may come from, or `""`. */
  virtualEnv: string;
  /** What the reports come from: mod_wsgi's daemons, or the ASGI processes (uvicorn). */
  asgi: boolean;
  /** A daemon process of its own (`whisk-metrics`); false in embedded mode (Apache's children answer). */
  daemon: boolean;
  /** The daemon's working directory and Python (as the application's). */
  home: string;
  pythonHome: string;
}

/**
 * What "local" means for the status page, `/.whisk/metrics` and `/.whisk/health`: an ap_expr
 * on the connection's own address (`%{CONN_REMOTE_ADDR}`, which mod_remoteip leaves alone),
 * true for the loopback and for `--host` itself (a probe of a server bound to one address
 * connects from it): `Require local` without its flaw, since it tests the address mod_remoteip
 * took from a trusted proxy's `X-Forwarded-For`, which any peer inside `--trust-proxy` could
 * set to 127.0.0.1 (https://httpd.apache.org/docs/2.4/mod/mod_authz_host.html#reqlocal).
 * `--status-allow` (`Require ip`) matches the client's address as mod_remoteip settled it: a
 * trusted balancer's client, never a value from an untrusted peer.
 *
 * @param host the bare `--host`, or undefined (every address)
 */
export function localExpr(host: string | undefined): string {
  const networks = ['127.0.0.0/8', '::1/128', ...(host && net.isIP(host) ? [host] : [])];
  return networks.map((n) => `%{CONN_REMOTE_ADDR} -ipmatch '${n}'`).join(' || ');
}

/**
 * The status and metrics settings.
 *
 * metrics.wsgi asks the server where it listens: the bare `--host`, else the loopback.
 * (`--metrics` with static files is refused before: combinations.ts.)
 */
export function statusView(ctx: PlanContext): StatusView {
  const { options, app, host, paths } = ctx;
  const { metricsScript, metricsDir } = paths;
  const { pythonHome, virtualEnv } = ctx.runtime;
  return {
    localExpr: localExpr(host),
    status:
      options['server-status'] || options.metrics ? { allow: options['status-allow'].flatMap(apacheNetworks), public: options['server-status'] } : undefined,
    metrics: options.metrics
      ? {
          script: metricsScript,
          statusUrl: `${localBaseUrl(host, options.port)}/server-status?auto`,
          dir: metricsDir,
          applicationDir: paths.applicationMetricsDir,
          virtualEnv: virtualEnv ?? '',
          asgi: app.type === 'asgi',
          daemon: app.type === 'asgi' || !options['embedded-mode'],
          home: app.workingDirectory,
          pythonHome,
        }
      : undefined,
  };
}
