/**
 * The error log and the access log: levels, formats and the piped logger
 * (https://httpd.apache.org/docs/2.4/mod/core.html#loglevel,
 * https://httpd.apache.org/docs/2.4/mod/mod_log_config.html).
 */
import { LOG_LEVELS } from '../../options/table.js';
import type { PlanContext } from './context.js';

/** What httpd.conf needs for its logs. */
export interface LoggingView {
  /** The `--log-level`; `wsgiInfo` adds `wsgi:info` (see {@link wsgiAtInfo}). */
  logLevel: string;
  wsgiInfo: boolean;
  /** `--error-log-format`, for `ErrorLogFormat`. */
  errorLogFormat?: string;
  accessLog: boolean;
  /** The access log's LogFormat string (a preset's or the one given). */
  accessLogFormat: string;
  /** The json preset: access-log.pl also turns Apache's escapes into JSON's. */
  jsonAccessLog: boolean;
  /** `CustomLog`'s piped logger. */
  accessLogPipe: string;
}

/**
 * mod_wsgi logs why a daemon process restarted (request time limit, death, deadlock) and a
 * stack dump at info, so its level is kept at info at least: `warn` → `LogLevel warn wsgi:info`.
 */
export function wsgiAtInfo(level: string): boolean {
  const i = LOG_LEVELS.indexOf(level as (typeof LOG_LEVELS)[number]);
  return i >= 0 && i < LOG_LEVELS.indexOf('info');
}

/**
 * `--access-log-format` presets (mod_log_config's format strings,
 * https://httpd.apache.org/docs/2.4/mod/mod_log_config.html#formats).
 */
export const ACCESS_LOG_FORMATS: Record<string, string> = {
  common: '%h %l %u %t "%r" %>s %b',
  combined: '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D %{UNIQUE_ID}e %{whisk_trace_id}e',
  json:
    '{"time":"%{%Y-%m-%dT%H:%M:%S}t.%{usec_frac}t%{%z}t","method":"%m","protocol":"%H","path":"%U","query":"%q","status":%>s,' +
    '"bytes":%B,"duration_us":%D,"client":"%a","user_agent":"%{User-Agent}i","referer":"%{Referer}i","request_id":"%{UNIQUE_ID}e",' +
    '"trace_id":"%{whisk_trace_id}e","span_id":"%{whisk_span_id}e"}',
};

/**
 * The piped logger: access-log.pl in the server root (see templates/access-log.pl.mustache),
 * which passes lines on to stdout in batches at most 50 ms old, and for the json preset turns
 * the `\xhh` and `\v` escapes Apache writes for unprintable bytes (ap_escape_logitem) into
 * JSON's `\u00hh`. `||`: run without a shell; the path is quoted for apr_tokenize_to_argv.
 * `env -i`: Perl starts with an empty environment, because the logger runs as root when
 * Apache does, and PERL5LIB, PERL5OPT or PERLIO from the container's environment would make
 * it load or behave as someone else chose. Apache restarts it if it dies ("reliable piped
 * logs", https://httpd.apache.org/docs/2.4/logs.html#piped).
 */
function accessLogPipe(script: string): string {
  return `||/usr/bin/env -i /usr/bin/perl "${script.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * The log settings.
 *
 * The piped logger is the server root's access-log.pl; mod_wsgi's log level applies unless
 * the application is static files; with `--https-port` (mod_ssl loaded) the combined and
 * json presets end with the TLS protocol.
 *
 * @param trustedRequestId a trusted proxy's X-Request-ID is the request's ID (`--trust-proxy-header X-Request-ID`)
 */
export function loggingView(ctx: PlanContext, trustedRequestId: boolean): LoggingView {
  const { options } = ctx;
  const accessLogScript = ctx.paths.accessLogScript;
  const wsgi = ctx.kind !== 'static';
  const tls = options['https-port'] !== undefined;
  const preset = options['access-log-format'];
  let format = ACCESS_LOG_FORMATS[preset] ?? preset;
  // With --https-port, which connection was TLS: mod_ssl's protocol (TLSv1.3), `-` on the plain port.
  if (tls && preset === 'combined') format += ' %{SSL_PROTOCOL}x';
  if (tls && preset === 'json') format = format.replace(/}$/, ',"tls":"%{SSL_PROTOCOL}x"}');
  return {
    logLevel: options['log-level'],
    wsgiInfo: wsgi && wsgiAtInfo(options['log-level']),
    errorLogFormat: options['error-log-format'],
    accessLog: options['access-log'],
    // A request ID a trusted proxy sent is the request header, not mod_unique_id's.
    accessLogFormat: trustedRequestId ? format.replaceAll('%{UNIQUE_ID}e', '%{X-Request-ID}i') : format,
    jsonAccessLog: options['access-log'] && options['access-log-format'] === 'json',
    accessLogPipe: accessLogPipe(accessLogScript),
  };
}
