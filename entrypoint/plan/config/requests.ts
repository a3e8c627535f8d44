/**
 * How Apache reads requests from clients: timeouts (mod_reqtimeout's slow-client defence,
 * `Timeout`, keep-alive), the body limit and the listen queue, as mod_wsgi-express sets them.
 */
import type { Options } from '../../options/table.js';

/** What httpd.conf needs for reading requests. */
export interface RequestsView {
  /** `Timeout`, seconds. */
  socketTimeout: number;
  /** `ListenBacklog`. */
  serverBacklog: number;
  /** `RequestReadTimeout` arguments, e.g. `['header=15-30,MinRate=500', 'body=15,MinRate=500']`. */
  requestReadTimeout: string[];
  /** `LimitRequestBody`, bytes (0: unlimited). */
  limitRequestBody: number;
  /** `KeepAliveTimeout`, seconds (0: `KeepAlive Off`). */
  keepAliveTimeout: number;
  /** `GracefulShutdownTimeout`, seconds. */
  gracefulTimeout: number;
  /** `WSGIChunkedRequest On`. */
  chunkedRequest: boolean;
}

/**
 * mod_reqtimeout's `RequestReadTimeout` arguments from the header/body options, as
 * mod_wsgi-express builds them: `header=15-30,MinRate=500 body=15,MinRate=500`
 * (https://httpd.apache.org/docs/2.4/mod/mod_reqtimeout.html).
 */
export function requestReadTimeout(o: Options): string[] {
  // mod_reqtimeout accepts a T-MAX range only together with MinRate.
  const part = (kind: string, t: number, max: number, rate: number) =>
    t > 0 ? `${kind}=${t}${max > 0 && rate > 0 ? `-${max}` : ''}${rate > 0 ? `,MinRate=${rate}` : ''}` : `${kind}=0`;
  return [
    part('header', o['header-timeout'], o['header-max-timeout'], o['header-min-rate']),
    part('body', o['body-timeout'], o['body-max-timeout'], o['body-min-rate']),
  ];
}

/** The request-reading settings. */
export function requestsView(options: Options): RequestsView {
  return {
    socketTimeout: options['socket-timeout'],
    serverBacklog: options['server-backlog'],
    requestReadTimeout: requestReadTimeout(options),
    limitRequestBody: options['limit-request-body'],
    keepAliveTimeout: options['keep-alive-timeout'],
    gracefulTimeout: options['graceful-timeout'],
    chunkedRequest: options['chunked-request'],
  };
}
