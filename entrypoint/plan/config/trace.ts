/**
 * Trace context (W3C Trace Context, https://www.w3.org/TR/trace-context/) → what httpd.conf
 * does with `traceparent`. Pure.
 *
 * Every request is a span of a trace: Apache (mod_setenvif's `SetEnvIfExpr` with regex
 * captures, mod_headers) takes the trace from a `traceparent` a trusted proxy (`--trust-proxy`)
 * sent, if it is well formed, or starts a new one; it names its own span, gives the
 * application `traceparent` with that span as the parent, logs both ids and answers
 * `traceresponse`. The ids of a new trace come from mod_unique_id's `UNIQUE_ID`: the trace-id
 * is its MD5 (32 hex digits), the span-id the first 16 hex digits of its SHA-1 (ap_expr's
 * `md5()` and `sha1()`, https://httpd.apache.org/docs/2.4/expr.html#functions).
 */
import { apacheNetworks, peerExpression } from './proxy.js';

/**
 * A `traceparent` whisk takes from a trusted proxy, as a PCRE (Apache's ap_expr) and
 * JavaScript RegExp source; captures: trace-id, parent-id, trace-flags. Version `00` is
 * exactly 55 characters; a later version (not `ff`, which is invalid) may add fields after a
 * dash, as the specification's "versioning of traceparent" says a parser must accept; ids are
 * lower-case hex and not all zeros. Anything else (a list of two headers joined by Apache
 * included) starts a new trace.
 */
export const TRACEPARENT_PATTERN = '^(?:00-(?=.{52}$)|(?!00|ff)[0-9a-f]{2}-)(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-([0-9a-f]{2})(?:$|-)';

/** What httpd.conf needs for trace context. */
export interface TraceView {
  /**
   * An ap_expr, true for a request whose `traceparent` whisk takes: from a `--trust-proxy`
   * peer (tested on the connection's own address, as for the other trusted headers), well
   * formed ({@link TRACEPARENT_PATTERN}, whose captures `SetEnvIfExpr` reads), and no context
   * kept from before an internal redirect. Undefined without `--trust-proxy`: every request
   * starts a trace.
   */
  trustedTraceparent?: string;
}

/**
 * Builds the trace settings.
 *
 * @param proxies `--trust-proxy` values (checked IPs or CIDRs); no further option is needed
 *   for a trusted proxy's `traceparent`
 */
export function traceView(proxies: string[]): TraceView {
  const peer = peerExpression(proxies.flatMap(apacheNetworks));
  if (peer === undefined) return {};
  return { trustedTraceparent: `-z reqenv('whisk_trace_id') && (${peer}) && req('traceparent') =~ m#${TRACEPARENT_PATTERN}#` };
}
