/**
 * The one option table: every option whisk accepts, with its type, default, unit, value
 * format, help text and the Apache httpd / mod_wsgi directive it maps to. Help output,
 * `WHISK_*` variable names, validation and docs/options.md's table are derived from it.
 *
 * Names, meanings and defaults are mod_wsgi-express's (`mod_wsgi-express start-server --help`;
 * its source: `src/express/options.py` in GrahamDumpleton/mod_wsgi) unless a `help` text
 * says otherwise.
 */

/** Where an effective setting came from. `computed`: derived by whisk (e.g. sizing). */
export type Source = 'default' | 'image' | 'file' | 'cmd' | 'env' | 'computed';

/**
 * What a free-form value must look like; checked before anything starts (see values.ts).
 * - `path`: a file-system path, relative ones taken from the working directory;
 * - `absolute-path`: a file-system path starting with `/`;
 * - `url-path`: a decoded URL path starting with `/`, as Apache matches `Alias` (no `?`, `#`,
 *   `.` or `..` segments; non-ASCII and spaces allowed);
 * - `request-path`: a URL path whisk itself requests (`--health-check-path`): RFC 3986
 *   characters only;
 * - `host`: an IPv4/IPv6 address or a DNS host name;
 * - `env-name`: an environment variable name (`[A-Za-z_][A-Za-z0-9_]*`), for `PassEnv`;
 * - `environ-key`: a WSGI environ key for `SetEnv`: printable ASCII, no white space
 *   (`trac.env_path`);
 * - `identifier`: a Python identifier (Unicode letters included, as Python allows);
 * - `account`: a user or group name as the system's databases hold them, or `#NUMBER`;
 * - `file-name`: one file name, no `/`;
 * - `entry-point`: a script path, a module name or a .ini path (checked in app.ts);
 * - `http-error-status`: an HTTP error status, 400 to 599;
 * - `proxy-header`: a header `--trust-proxy-header` knows (see entrypoint/plan/config/proxy.ts);
 * - `cidr`: an IPv4 or IPv6 address, optionally with a prefix length (`10.0.0.0/8`);
 * - `text`: anything printable, not empty;
 * - `environ-value`: anything printable, empty included (a `--setenv` value);
 * - `service-name`: a `--service-script` name (letters, digits, `_`, `.`, `-`), which becomes
 *   the mod_wsgi process group `service:NAME`;
 * - `proxy-url`: a `--proxy-mount-point` back end for mod_proxy_http: `http://HOST[:PORT][/PATH]`
 *   or `unix:/SOCKET-PATH|http://HOST[/PATH]`.
 */
export type Format =
  | 'path'
  | 'absolute-path'
  | 'url-path'
  | 'request-path'
  | 'host'
  | 'env-name'
  | 'environ-key'
  | 'identifier'
  | 'account'
  | 'file-name'
  | 'entry-point'
  | 'text'
  | 'environ-value'
  | 'http-error-status'
  | 'proxy-header'
  | 'cidr'
  | 'service-name'
  | 'proxy-url'
  | 'email'
  | 'acme-url';

interface Common {
  /** Help text, one sentence or two, shown by `whisk --help` and in docs/options.md. */
  help: string;
  /** The Apache httpd or mod_wsgi directive (and argument) this option maps to. */
  directive: string;
  /** Placeholder shown in help output. */
  metavar?: string;
  /** Values never echoed: not in the start log, `whisk config` or an error message. */
  secret?: boolean;
  /** Unit of an integer value. */
  unit?: 'seconds' | 'bytes' | 'bytes/s' | 'MiB' | 'processes' | 'threads' | 'connections' | 'requests';
}
/** A whole number within `[min, max]`; `default` undefined means "computed" or "unset". */
export interface IntegerSpec extends Common {
  kind: 'integer';
  min: number;
  max: number;
  default?: number;
}
/** A free-form string of the given format; `default` undefined means unset. */
export interface StringSpec extends Common {
  kind: 'string';
  format: Format;
  default?: string;
}
/** One of `choices`; `default` undefined means computed (the option's help says how). */
export interface ChoiceSpec extends Common {
  kind: 'choice';
  choices: readonly string[];
  default?: string;
}
/** A flag; `--no-NAME` turns it off. */
export interface BooleanSpec extends Common {
  kind: 'boolean';
  default: boolean;
}
/** Repeatable, one value each time (e.g. `--python-path`). */
export interface ListSpec extends Common {
  kind: 'list';
  format: Format;
}
/** Repeatable, two values each time (e.g. `--url-alias URL PATH`); the first is the key. */
export interface PairsSpec extends Common {
  kind: 'pairs';
  metavar2: string;
  formats: readonly [Format, Format];
}
export type OptionSpec = IntegerSpec | StringSpec | ChoiceSpec | BooleanSpec | ListSpec | PairsSpec;

const MAX_SECONDS = 86400;
/** Apache's LogLevel names, most severe first (https://httpd.apache.org/docs/2.4/mod/core.html#loglevel). */
export const LOG_LEVELS = [
  'emerg',
  'alert',
  'crit',
  'error',
  'warn',
  'notice',
  'info',
  'debug',
  'trace1',
  'trace2',
  'trace3',
  'trace4',
  'trace5',
  'trace6',
  'trace7',
  'trace8',
] as const;

/**
 * Every option whisk accepts. Keys are the option names without `--`.
 * Environment names are derived: `url-alias` → `WHISK_URL_ALIAS` (alias `MOD_WSGI_URL_ALIAS`).
 */
export const OPTION_TABLE = {
  'entry-point': {
    kind: 'string',
    format: 'entry-point',
    metavar: 'FILE-PATH|MODULE',
    help: 'The WSGI script file, module name or Paste .ini to load; the same as giving it as the last argument.',
    directive: 'handler.wsgi (WSGIImportScript)',
  },
  'application-type': {
    kind: 'choice',
    choices: ['script', 'module', 'paste', 'asgi', 'static'],
    default: 'script',
    metavar: 'TYPE',
    help: "How the entry point is loaded: 'script' (a WSGI script file, any suffix: .wsgi, .py or none), 'module' (an importable Python module, 'pkg.mod' or 'pkg.mod:callable'), 'paste' (a Paste Deploy .ini file), 'asgi' (an ASGI application in an importable module, 'pkg.mod:callable'; served by uvicorn processes behind Apache, WebSockets included), 'static' (no Python; the document root only).",
    directive: 'WSGIHandlerScript (generated handler.wsgi); asgi: WSGIDaemonProcess threads=0 service processes + mod_proxy_balancer',
  },
  'callable-object': {
    kind: 'string',
    format: 'identifier',
    default: 'application',
    metavar: 'NAME',
    help: 'Name of the WSGI application object in the script file or module.',
    directive: 'handler.wsgi (as WSGICallableObject)',
  },
  'working-directory': {
    kind: 'string',
    format: 'path',
    metavar: 'DIRECTORY-PATH',
    help: 'Current working directory of the daemon processes, prepended to sys.path. Defaults to the directory whisk is started from (/app in the image).',
    directive: 'WSGIDaemonProcess home=',
  },
  'python-path': {
    kind: 'list',
    format: 'path',
    metavar: 'DIRECTORY-PATH',
    help: 'Extra directory to prepend to sys.path (repeatable; .pth files in it are processed).',
    directive: 'handler.wsgi site.addsitedir (as WSGIDaemonProcess python-path=)',
  },
  'url-alias': {
    kind: 'pairs',
    metavar: 'URL-PATH',
    metavar2: 'FILE-PATH|DIRECTORY-PATH',
    formats: ['url-path', 'path'],
    help: 'Serve a file or directory at a URL prefix, straight from Apache (repeatable; the longest URL prefix wins). Dotfiles (except .well-known/) and backup files (*~, *.swp, *.bak, *.orig) answer 404.',
    directive: 'Alias',
  },
  'document-root': {
    kind: 'string',
    format: 'path',
    metavar: 'DIRECTORY-PATH',
    help: 'Directory whose existing files Apache serves; every other URL goes to the application.',
    directive: 'DocumentRoot',
  },
  'directory-index': {
    kind: 'string',
    format: 'file-name',
    metavar: 'FILE-NAME',
    help: 'File served for a directory URL of the document root (e.g. index.html).',
    directive: 'DirectoryIndex',
  },
  'mount-point': {
    kind: 'string',
    format: 'url-path',
    default: '/',
    metavar: 'URL-PATH',
    help: 'URL prefix the application is mounted at (its SCRIPT_NAME).',
    directive: '<Directory> under DocumentRoot + SCRIPT_NAME in handler.wsgi',
  },
  host: {
    kind: 'string',
    format: 'host',
    metavar: 'IP-ADDRESS',
    help: 'Address to listen on: an IPv4 or IPv6 address or a host name. Defaults to all interfaces.',
    directive: 'Listen',
  },
  port: {
    kind: 'integer',
    min: 1,
    max: 65535,
    default: 8000,
    metavar: 'NUMBER',
    help: 'Port to listen on (80 in the image).',
    directive: 'Listen',
  },
  'https-port': {
    kind: 'integer',
    min: 1,
    max: 65535,
    metavar: 'NUMBER',
    help: 'Port to accept HTTPS on (443 in the image), besides --port: TLS 1.2 and 1.3 with the certificate of --ssl-certificate-file and --ssl-certificate-key-file (or --ssl-certificate).',
    directive: 'Listen / SSLEngine',
  },
  'ssl-certificate-file': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: "The server's certificate (PEM), optionally followed by its intermediate certificates; read as Docker and Kubernetes mount secrets. Checked at start: readable, valid now, matching the key, a chain in order.",
    directive: 'SSLCertificateFile',
  },
  'ssl-certificate-key-file': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: 'The private key (PEM, not encrypted) of --ssl-certificate-file. Never logged or printed.',
    directive: 'SSLCertificateKeyFile',
  },
  'ssl-certificate-chain-file': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: 'The intermediate certificates (PEM) sent after the server certificate, the one that issued it first.',
    directive: 'SSLCertificateChainFile',
  },
  'ssl-certificate': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: 'The common prefix of the certificate and key files: PREFIX.crt and PREFIX.key (as mod_wsgi-express).',
    directive: 'SSLCertificateFile / SSLCertificateKeyFile',
  },
  'ssl-ca-certificate-file': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: 'Certificates (PEM) of the CAs whose client certificates are accepted: HTTPS requests then need a client certificate, for the whole site or, with --ssl-verify-client, under those URL paths only.',
    directive: 'SSLCACertificateFile',
  },
  'ssl-verify-client': {
    kind: 'list',
    format: 'url-path',
    metavar: 'URL-PATH',
    help: 'A URL path under which HTTPS requests need a client certificate from --ssl-ca-certificate-file (repeatable); the rest of the site then needs none.',
    directive: 'SSLVerifyClient',
  },
  'ssl-environment': {
    kind: 'boolean',
    default: false,
    help: "Put mod_ssl's variables (SSL_PROTOCOL, SSL_CLIENT_S_DN, ...) in the WSGI environ of HTTPS requests.",
    directive: 'SSLOptions',
  },
  'https-only': {
    kind: 'boolean',
    default: false,
    help: "Answer every plain-HTTP request with a 301 to the same path and query on HTTPS, except whisk's own /.whisk/ URLs, which orchestrators probe over plain HTTP.",
    directive: 'RewriteRule',
  },
  'hsts-policy': {
    kind: 'string',
    format: 'text',
    metavar: 'PARAMS',
    help: "Strict-Transport-Security sent with every HTTPS response, e.g. 'max-age=31536000; includeSubDomains' (never on plain HTTP, where browsers ignore it).",
    directive: 'Header',
  },
  'server-name': {
    kind: 'string',
    format: 'host',
    metavar: 'HOSTNAME',
    help: 'The name the server answers as: the host of --https-only redirects, and the name its HTTPS certificate is for.',
    directive: 'ServerName',
  },
  'server-alias': {
    kind: 'list',
    format: 'host',
    metavar: 'HOSTNAME',
    help: 'Another name the server answers as (repeatable).',
    directive: 'ServerAlias',
  },
  'acme-email': {
    kind: 'string',
    format: 'email',
    metavar: 'ADDRESS',
    help: "With --https-port, --server-name (and any --server-alias) and no certificate file: obtain the certificate from an ACME CA (Let's Encrypt by default) and renew it, with Apache's mod_md; the CA's account is registered to this address, and whisk accepts the CA's terms of service for you. Each new certificate is activated with a graceful restart of Apache.",
    directive: 'MDomain / MDContactEmail / MDCertificateAgreement',
  },
  'acme-ca': {
    kind: 'string',
    format: 'acme-url',
    default: 'https://acme-v02.api.letsencrypt.org/directory',
    metavar: 'URL',
    help: "The ACME directory URL of the CA that issues --acme-email's certificates: Let's Encrypt's production one by default (its staging one: https://acme-staging-v02.api.letsencrypt.org/directory).",
    directive: 'MDCertificateAuthority',
  },
  'acme-ca-certificate-file': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: "Certificates (PEM) to trust for --acme-ca's own HTTPS, besides the system's: a private CA's (an internal ACME server, a test one).",
    directive: 'MDCACertificateFile',
  },
  'acme-challenge': {
    kind: 'choice',
    choices: ['http-01', 'tls-alpn-01'],
    default: 'http-01',
    metavar: 'TYPE',
    help: "How the CA checks that the names are yours: 'http-01' (a request to the plain port, which must be reachable as port 80 of each name) or 'tls-alpn-01' (a TLS handshake on --https-port, reachable as port 443).",
    directive: 'MDCAChallenges',
  },
  'acme-store': {
    kind: 'string',
    format: 'absolute-path',
    default: '/var/lib/whisk/acme',
    metavar: 'DIRECTORY-PATH',
    help: "Where --acme-email's account, keys and certificates are kept: a volume, so a new container finds them instead of ordering again (the image declares its default as a VOLUME). Writable by the user Apache runs as.",
    directive: 'MDStoreDir',
  },
  processes: {
    kind: 'integer',
    min: 1,
    max: 512,
    unit: 'processes',
    metavar: 'NUMBER',
    help: 'Number of mod_wsgi daemon processes. Computed from the container CPU and memory limits when not given.',
    directive: 'WSGIDaemonProcess processes=',
  },
  threads: {
    kind: 'integer',
    min: 1,
    max: 1024,
    default: 5,
    unit: 'threads',
    metavar: 'NUMBER',
    help: 'Request threads in each daemon process.',
    directive: 'WSGIDaemonProcess threads=',
  },
  'max-clients': {
    kind: 'integer',
    min: 1,
    max: 20000,
    unit: 'connections',
    metavar: 'NUMBER',
    help: 'Most requests Apache handles at once. Defaults to 10 + max(10, 1.5 x processes x threads) as mod_wsgi-express computes it, but at least 100.',
    directive: 'MaxRequestWorkers',
  },
  'server-mpm': {
    kind: 'choice',
    choices: ['event', 'worker'],
    metavar: 'NAME',
    help: "Apache's multi-processing module (mod_wsgi-express's option). 'event' passes an idle keep-alive connection to a listener thread, so thousands of idle clients cost no thread each; 'worker' keeps a connection on its thread until it closes or KeepAliveTimeout (2 s) passes, which spares the hand-over between threads on every request: a fifth less Apache CPU a proxied request here. Defaults to worker for an ASGI application (mostly behind a balancer that keeps a few connections busy, and whose --max-clients is sized for its WebSockets), event otherwise.",
    directive: 'LoadModule mpm_event_module | mpm_worker_module',
  },
  'max-websockets': {
    kind: 'integer',
    min: 1,
    max: 20000,
    unit: 'connections',
    metavar: 'NUMBER',
    help: 'Most WebSockets an ASGI application holds open at once, over all its processes (each takes its share); one more is accepted and closed at once with 1013 (try again later) and counted in /.whisk/metrics. Apache keeps a thread for each open WebSocket, so the default, --max-clients less a tenth, keeps threads for probes, static files and plain requests; at most --max-clients - 1.',
    directive: 'asgi.py max_websockets= (each process its share of NUMBER)',
  },
  user: {
    kind: 'string',
    format: 'account',
    default: 'whisk',
    metavar: 'USERNAME',
    help: 'User the Apache children, daemon processes and the deploy hook run as when whisk is started as root; must exist and not be root.',
    directive: 'User / WSGIDaemonProcess user=',
  },
  group: {
    kind: 'string',
    format: 'account',
    default: 'root',
    metavar: 'GROUP',
    help: 'Group the Apache children, daemon processes and the deploy hook run as when whisk is started as root (gid 0, as OpenShift expects); must exist.',
    directive: 'Group / WSGIDaemonProcess group=',
  },
  'log-level': {
    kind: 'choice',
    choices: LOG_LEVELS,
    default: 'warn',
    metavar: 'NAME',
    help: 'Apache error log level (the error log goes to stderr).',
    directive: 'LogLevel',
  },
  'access-log-format': {
    kind: 'string',
    format: 'text',
    default: 'combined',
    metavar: 'FORMAT',
    help: "The access log's format: 'common'; 'combined' (Apache's combined format, then the time taken in microseconds, the request ID and the trace ID); 'json' (one JSON object a line: time, method, protocol, path, query, status, bytes, duration_us, client, user_agent, referer, request_id, trace_id, span_id; valid JSON whatever the request holds); or an Apache LogFormat string. With --https-port, combined and json end with the connection's TLS protocol (TLSv1.3; - on the plain port).",
    directive: 'LogFormat / CustomLog',
  },
  'error-log-format': {
    kind: 'string',
    format: 'text',
    metavar: 'FORMAT',
    help: "Apache's error log line format (its % directives), e.g. '[%{u}t] [%l] %M'. The application's own output is not in the error log: it goes to stdout/stderr as written.",
    directive: 'ErrorLogFormat',
  },
  'access-log': {
    kind: 'boolean',
    default: false,
    help: 'Write the access log to stdout (on in the image): the combined format, then the time taken in microseconds, the request ID and the trace ID. Lines are passed on in batches, each within 50 ms of its request ending.',
    directive: 'CustomLog',
  },
  'embedded-mode': {
    kind: 'boolean',
    default: false,
    help: "Run the application in Apache's own child processes (mod_wsgi embedded mode) instead of separate daemon processes: no proxy hop, but --request-timeout, --queue-timeout, --startup-timeout, --deadlock-timeout, --inactivity-timeout, --restart-interval, --maximum-requests and --daemon-backlog do not apply, and a crash takes an Apache child with it. --processes is the number of Apache children and --threads how many requests run Python at once in each (see docs/production.md, Daemon mode or embedded mode).",
    directive: 'WSGIRestrictEmbedded Off (no WSGIDaemonProcess)',
  },
  'reload-on-changes': {
    kind: 'boolean',
    default: false,
    help: 'For development, with the code bind-mounted (docker run -v "$PWD:/app"): each daemon process checks the files of the Python modules it has loaded once a second and restarts itself when one changes, as mod_wsgi-express does; Apache and its listener stay up, requests wait for the new process. Static files are then sent with Cache-Control: no-cache and never from precompressed variants. Off by default; not with --embedded-mode.',
    directive: 'handler.wsgi (a monitor thread; SIGINT restarts the daemon process)',
  },
  http2: {
    kind: 'boolean',
    default: false,
    help: "Serve HTTP/2: h2 over TLS on --https-port (ALPN) and h2c on the plain port, by prior knowledge (as Cloud Run and Google's load balancers speak to their back ends) or Upgrade: h2c; HTTP/1.1 as before. No server push; WebSockets over HTTP/2 (RFC 8441) reach the application as over HTTP/1.1. mod_wsgi-express's name.",
    directive: 'Protocols h2 h2c http/1.1, H2Push Off, H2WebSockets On, H2MaxWorkers (mod_http2)',
  },
  'early-hint': {
    kind: 'pairs',
    metavar: 'URL-PATH',
    metavar2: 'LINK-HEADER',
    formats: ['url-path', 'text'],
    help: "With --http2: a 103 Early Hints response carrying this Link header (e.g. '</static/site.css>; rel=preload; as=style') is sent for every request under URL-PATH before the application runs, so the browser fetches the page's CSS and JavaScript while the page is made (one Link value a path, several links comma-separated as in any Link header; repeatable: a request under several of the paths gets the links of each). Over HTTP/2 only: Apache sends no 103 over HTTP/1.1.",
    directive: 'H2EarlyHint Link (in <Location URL-PATH>), H2EarlyHints On',
  },
  'cache-responses': {
    kind: 'boolean',
    default: false,
    help: "Keep the application's responses that it marks fresh for shared caches (Cache-Control: max-age or s-maxage, or Expires) and that have a Content-Length in shared memory and answer later requests for them from there, per Vary, without calling Python, until they go stale (then the application is asked again, with the stored ETag or Last-Modified). Never kept: the answer to a request with an Authorization header, one marked private or no-store, or one that sets a cookie (whisk adds private to its Cache-Control, so no cache in front keeps it either). Stored as the application sent it: --compress-responses compresses each answer from it. An answer from the cache carries X-Cache: HIT and Age; whisk reload --server empties it. Not for static files (sent from disk), --proxy-mount-point back ends or /.whisk/.",
    directive: 'CacheEnable socache, CacheQuickHandler Off, CacheHeader On (mod_cache, mod_cache_socache)',
  },
  'cache-size': {
    kind: 'integer',
    min: 1048576,
    max: 2147483647,
    unit: 'bytes',
    metavar: 'BYTES',
    help: 'With --cache-responses: the shared memory the cache keeps responses in (default 64 MiB); the oldest go first when it is full. A response over 1/128 of it (512 KiB at the default; at most 1 MiB) is not kept.',
    directive: 'CacheSocache shmcb:FILE(BYTES), CacheSocacheMaxSize',
  },
  'sticky-sessions': {
    kind: 'boolean',
    default: false,
    help: "For an ASGI application (--application-type asgi) that keeps a client's session in one process, as Socket.IO's long-polling does: Apache sends each client's requests to the process that answered its first, by a cookie (whisk-route) set on that first response (and again only when that process has gone). Off, each request goes to the least busy process. The cookie is added after --cache-responses stores a response, so it never goes to another client.",
    directive: 'BalancerMember route=, ProxySet stickysession=whisk-route (mod_proxy_balancer)',
  },
  'compress-responses': {
    kind: 'boolean',
    default: false,
    help: 'Compress text responses (HTML, CSS, JavaScript, JSON, XML, SVG, plain text) of 256 bytes or more, from the application and from static files: brotli where the client accepts br, else gzip, with Vary: Accept-Encoding.',
    directive: 'FilterProvider BROTLI_COMPRESS, DEFLATE',
  },
  'trust-proxy-header': {
    kind: 'list',
    format: 'proxy-header',
    metavar: 'HEADER-NAME',
    help: "A header a trusted proxy sets, applied to the request (repeatable): X-Forwarded-For, X-Real-IP or X-Client-IP (the client's address: REMOTE_ADDR and the access log), X-Forwarded-Proto (and its synonyms X-Forwarded-Scheme, X-Scheme, X-Forwarded-HTTPS, X-Forwarded-SSL, X-HTTPS: wsgi.url_scheme), X-Forwarded-Host or X-Host (HTTP_HOST), X-Forwarded-Server, X-Forwarded-Port, X-Forwarded-Prefix, X-Script-Name or X-Forwarded-Script-Name (SCRIPT_NAME), X-Request-ID (kept as the request's ID). Needs --trust-proxy: from any other peer these headers and their synonyms are removed.",
    directive: 'RemoteIPHeader / WSGITrustedProxyHeaders',
  },
  'trust-proxy': {
    kind: 'list',
    format: 'cidr',
    metavar: 'IP-ADDRESS|CIDR',
    help: 'The address or network (CIDR) of a proxy whose --trust-proxy-header headers are believed (repeatable), e.g. the ingress or load balancer subnet 10.0.0.0/8. In X-Forwarded-For, addresses of trusted proxies are skipped from the right; the first other one is the client.',
    directive: 'RemoteIPInternalProxy (WSGITrustedProxies)',
  },
  'static-max-age': {
    kind: 'integer',
    min: 0,
    max: 31_536_000,
    default: 60,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: "Cache-Control max-age of static files from --url-alias and the document root, as WhiteNoise sets it. Files whose names carry a content hash (Django's ManifestStaticFilesStorage, webpack: name.<8+ hex digits>.ext) get max-age=31536000, immutable.",
    directive: 'Header set Cache-Control',
  },
  'chunked-request': {
    kind: 'boolean',
    default: false,
    help: 'Accept request bodies sent with chunked transfer encoding (instead of 411 Length Required); whisk gives the application the whole body with its CONTENT_LENGTH (on in the image).',
    directive: 'WSGIChunkedRequest',
  },
  setenv: {
    kind: 'pairs',
    metavar: 'NAME',
    metavar2: 'VALUE',
    formats: ['environ-key', 'environ-value'],
    secret: true,
    help: 'Set a key in the per-request WSGI environ (repeatable): any printable ASCII name without spaces, such as trac.env_path; the value may be empty. Not os.environ: use docker run -e for that. Values are never shown in the start log.',
    directive: 'SetEnv',
  },
  passenv: {
    kind: 'list',
    format: 'env-name',
    metavar: 'NAME',
    help: 'Copy a process environment variable into the per-request WSGI environ (repeatable; mod_wsgi never passes PATH this way).',
    directive: 'PassEnv',
  },
  'error-document': {
    kind: 'pairs',
    metavar: 'STATUS',
    metavar2: 'URL-PATH',
    formats: ['http-error-status', 'url-path'],
    help: 'The page Apache answers with for an HTTP error status it produces (502/503/504 when a daemon is dead or overloaded, 413, 404 for static files), e.g. --error-document 503 /errors/503.html with the page under a --url-alias (repeatable).',
    directive: 'ErrorDocument',
  },
  'error-override': {
    kind: 'boolean',
    default: false,
    help: "Replace the application's own 4xx/5xx responses with the --error-document page for that status.",
    directive: 'WSGIErrorOverride',
  },
  'include-file': {
    kind: 'list',
    format: 'path',
    metavar: 'FILE-PATH',
    help: 'An Apache configuration file included at the end of the generated one, for a directive whisk has no option for (repeatable). Started as root, whisk includes only a file that root alone can write.',
    directive: 'Include',
  },
  'rewrite-rules': {
    kind: 'string',
    format: 'path',
    metavar: 'FILE-PATH',
    help: "A file of mod_rewrite rules (RewriteRule, RewriteCond) applied to every request of the document root, before whisk's own, as mod_wsgi-express does. Started as root, only a file that root alone can write.",
    directive: '<Directory> DocumentRoot: Include (RewriteOptions InheritDownBefore)',
  },
  'service-script': {
    kind: 'pairs',
    metavar: 'NAME',
    metavar2: 'SCRIPT-PATH',
    formats: ['service-name', 'path'],
    help: "Run a Python script in a process of its own that Apache manages, as mod_wsgi-express does: a mod_wsgi daemon process without request threads that imports the script, as the application's user, with its working directory and sys.path, and is started again whenever it exits (repeatable), e.g. a WebSocket server that --proxy-mount-point forwards to.",
    directive: 'WSGIDaemonProcess service:NAME threads=0 + WSGIImportScript',
  },
  'proxy-mount-point': {
    kind: 'pairs',
    metavar: 'URL-PATH',
    metavar2: 'URL',
    formats: ['url-path', 'proxy-url'],
    help: "Forward every request under URL-PATH to another HTTP server, WebSockets included (repeatable): http://HOST:PORT/PATH or unix:/SOCKET|http://localhost/PATH. A URL-PATH without a trailing / redirects to the one with it. The back end gets the client's Host, one X-Forwarded-For, X-Forwarded-Proto, X-Forwarded-Port and X-Forwarded-Prefix (URL-PATH without its trailing /).",
    directive: 'ProxyPass … upgrade=websocket / ProxyPassReverse',
  },
  'server-root': {
    kind: 'string',
    format: 'absolute-path',
    metavar: 'DIRECTORY-PATH',
    help: "Directory for the generated configuration, pid file and sockets: new, empty or whisk's own. Defaults to /tmp/whisk-PORT-UID.",
    directive: 'ServerRoot',
  },
  'health-check-path': {
    kind: 'string',
    format: 'request-path',
    metavar: 'URL-PATH',
    help: "URL of the application's own health check; it must answer 2xx or 3xx. `whisk healthcheck` asks it, and /.whisk/ready follows it (asked every 2 s from a thread of each daemon process, not a request thread).",
    directive: 'HEALTHCHECK (whisk healthcheck)',
  },
  'server-status': {
    kind: 'boolean',
    default: false,
    help: "Apache's status page (mod_status, with ExtendedStatus) at /server-status, for local clients and --status-allow.",
    directive: 'ExtendedStatus / SetHandler server-status',
  },
  metrics: {
    kind: 'boolean',
    default: false,
    help: "A Prometheus endpoint at /.whisk/metrics, for local clients and --status-allow: Apache's workers, requests, bytes and connections (mod_status) and the mod_wsgi daemons' requests, busy threads, queue and application time, memory, CPU and restarts. Answered by a process of its own, so a busy application still reports.",
    directive: 'WSGIScriptAlias /.whisk/metrics (metrics.wsgi)',
  },
  'server-timing': {
    kind: 'boolean',
    default: false,
    help: "Each response of the application carries a Server-Timing header (shown by browsers' developer tools): queue (waiting for a process), app (the application until it started its answer) and total (since Apache read the request), in milliseconds, from mod_wsgi's timestamps or, for ASGI, X-Request-Start.",
    directive: 'handler.wsgi and asgi.py (whisk_runtime/timing.py)',
  },
  'proxy-protocol': {
    kind: 'boolean',
    default: false,
    help: "Every connection starts with a PROXY protocol header (v1 or v2: AWS NLB, HAProxy send-proxy-v2, DigitalOcean), whose client address becomes the connection's: the application's REMOTE_ADDR, the access log and --trust-proxy decisions; a connection without one is closed. Loopback connections (whisk healthcheck) and --proxy-protocol-exception peers need none. Only for a port no one but the balancer reaches.",
    directive: 'RemoteIPProxyProtocol',
  },
  'proxy-protocol-exception': {
    kind: 'list',
    format: 'cidr',
    metavar: 'IP-ADDRESS|CIDR',
    help: 'A peer that connects without a PROXY protocol header, besides the loopback (repeatable), e.g. the node address kubelet probes come from.',
    directive: 'RemoteIPProxyProtocolExceptions',
  },
  'status-allow': {
    kind: 'list',
    format: 'cidr',
    metavar: 'IP-ADDRESS|CIDR',
    help: 'An address or network (CIDR) allowed to read /server-status and /.whisk/metrics besides local clients (repeatable), e.g. the Prometheus server or the pod network.',
    directive: 'Require ip',
  },
  'shutdown-delay': {
    kind: 'integer',
    min: 0,
    max: 300,
    default: 5,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: "On a stop signal (TERM, INT or WINCH: docker stop, Kubernetes, Ctrl-C), /.whisk/ready fails at once while the server keeps accepting and serving for this long, so a load balancer or Kubernetes takes the container out of rotation before its listener closes; then requests in flight finish (--graceful-timeout). 5 s covers Kubernetes' endpoint propagation; 0: stop draining at once.",
    directive: "Alias /.whisk/ready / shutdown-delay.sh (then SIGWINCH, Apache's graceful stop)",
  },
  'request-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 60,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'A request still running after this is cut and its daemon process restarted (averaged over the threads of a process). 0: off.',
    directive: 'WSGIDaemonProcess request-timeout=',
  },
  'interrupt-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 0,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: "A request still running after this gets an exception (RequestInterrupted, a BaseException, as mod_wsgi 6's RequestTimeout) raised where it runs, its client a 504 if nothing was sent yet, and the log its Python stack; the process and its other requests carry on. An ASGI request's task is cancelled. Shorter than --request-timeout, which stays the backstop for a thread stuck in C. 0: off.",
    directive: 'handler.wsgi and asgi.py (whisk_runtime/interrupt.py)',
  },
  'proxy-timeout': {
    kind: 'integer',
    min: 1,
    max: MAX_SECONDS,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: "How long a proxied request (an ASGI application, --proxy-mount-point) may wait for the back end's next bytes, and an open WebSocket may stay silent both ways, before Apache cuts it. Default: --request-timeout (60 s) for an ASGI application, --socket-timeout for --proxy-mount-point. uvicorn pings each WebSocket every 20 s, so an idle one stays open.",
    directive: 'ProxyTimeout (ASGI: BalancerMember timeout=)',
  },
  'queue-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 45,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'A request waiting this long for a free daemon thread is answered 504 instead.',
    directive: 'WSGIDaemonProcess queue-timeout=',
  },
  'socket-timeout': {
    kind: 'integer',
    min: 1,
    max: MAX_SECONDS,
    default: 60,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Timeout on a single read or write on a client or daemon socket.',
    directive: 'Timeout / WSGIDaemonProcess socket-timeout=',
  },
  'connect-timeout': {
    kind: 'integer',
    min: 1,
    max: MAX_SECONDS,
    default: 15,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'How long Apache tries to connect to a daemon process before giving up (503).',
    directive: 'WSGIDaemonProcess connect-timeout=',
  },
  'startup-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 15,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'A daemon process that fails to load the application for this long is restarted. 0: off.',
    directive: 'WSGIDaemonProcess startup-timeout=',
  },
  'inactivity-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 0,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Restart a daemon process idle for this long. 0: off.',
    directive: 'WSGIDaemonProcess inactivity-timeout=',
  },
  'restart-interval': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS * 7,
    default: 0,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Restart each application process (a mod_wsgi daemon, or an ASGI process) after this long: it finishes the requests it has and is replaced. 0: off.',
    directive: 'WSGIDaemonProcess restart-interval= / asgi.py (whisk_runtime/recycle.py)',
  },
  'restart-interval-jitter': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS * 7,
    default: 0,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: "Up to this many more seconds for --restart-interval, drawn at random once a process (as --maximum-requests-jitter for requests), so the processes of a container are not all restarted at once: mod_wsgi's restart-interval= restarts a daemon group's processes together. Timed by whisk's runtime in the process. 0: off.",
    directive: 'handler.wsgi and asgi.py (whisk_runtime/recycle.py)',
  },
  'maximum-requests': {
    kind: 'integer',
    min: 0,
    max: 100_000_000,
    default: 0,
    unit: 'requests',
    metavar: 'NUMBER',
    help: 'Recycle an application process (a mod_wsgi daemon, or an ASGI process) once it has served this many requests: it finishes the requests it has and is replaced, and no request fails. 0: off.',
    directive: 'WSGIDaemonProcess maximum-requests= / asgi.py (whisk_runtime/recycle.py)',
  },
  'maximum-requests-jitter': {
    kind: 'integer',
    min: 0,
    max: 100_000_000,
    default: 0,
    unit: 'requests',
    metavar: 'NUMBER',
    help: "Up to this many more requests for --maximum-requests, drawn at random once a process (gunicorn's max_requests_jitter), so the processes of a container are not all recycled at once. Counted by whisk's runtime in the process. 0: off.",
    directive: 'handler.wsgi and asgi.py (whisk_runtime/recycle.py)',
  },
  'maximum-rss': {
    kind: 'integer',
    min: 0,
    max: 1_048_576,
    default: 0,
    unit: 'MiB',
    metavar: 'MIB',
    help: 'Recycle an application process once its resident memory is over this many MiB (Granian\'s --workers-max-rss), checked after a request at most once a second: it finishes the requests it has and is replaced, and no request fails. Logged, and counted in /.whisk/metrics as whisk_process_recycles_total{reason="memory"}. 0: off.',
    directive: 'handler.wsgi and asgi.py (whisk_runtime/recycle.py)',
  },
  'shutdown-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 5,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'How long a daemon process may take to exit once told to; then it is killed.',
    directive: 'WSGIDaemonProcess shutdown-timeout=',
  },
  'graceful-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 15,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Grace period for requests in flight on a graceful restart or stop.',
    directive: 'WSGIDaemonProcess graceful-timeout= / GracefulShutdownTimeout',
  },
  'deadlock-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 60,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Restart a daemon process whose Python GIL has been held this long.',
    directive: 'WSGIDaemonProcess deadlock-timeout=',
  },
  'header-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 15,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Time allowed to receive the request line and headers (slow-loris defence). 0: off.',
    directive: 'RequestReadTimeout header=',
  },
  'header-max-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 30,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Hard limit for the headers when --header-min-rate extends --header-timeout. 0: none.',
    directive: 'RequestReadTimeout header=T-MAX',
  },
  'header-min-rate': {
    kind: 'integer',
    min: 0,
    max: 1_000_000_000,
    default: 500,
    unit: 'bytes/s',
    metavar: 'BYTES',
    help: 'Each time this many header bytes arrive, the header timeout grows by 1 s. 0: off.',
    directive: 'RequestReadTimeout header=…,MinRate=',
  },
  'body-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 15,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Time allowed to receive the request body. 0: off.',
    directive: 'RequestReadTimeout body=',
  },
  'body-max-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 0,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'Hard limit for the body when --body-min-rate extends --body-timeout. 0: none.',
    directive: 'RequestReadTimeout body=T-MAX',
  },
  'body-min-rate': {
    kind: 'integer',
    min: 0,
    max: 1_000_000_000,
    default: 500,
    unit: 'bytes/s',
    metavar: 'BYTES',
    help: 'Each time this many body bytes arrive, the body timeout grows by 1 s. 0: off.',
    directive: 'RequestReadTimeout body=…,MinRate=',
  },
  'keep-alive-timeout': {
    kind: 'integer',
    min: 0,
    max: MAX_SECONDS,
    default: 2,
    unit: 'seconds',
    metavar: 'SECONDS',
    help: 'How long an idle keep-alive connection is held open. 0: keep-alive off.',
    directive: 'KeepAlive / KeepAliveTimeout',
  },
  'limit-request-body': {
    kind: 'integer',
    min: 0,
    max: 2147483647,
    default: 10485760,
    unit: 'bytes',
    metavar: 'BYTES',
    help: 'Largest request body accepted; a larger one is answered 413. 0: unlimited.',
    directive: 'LimitRequestBody',
  },
  'server-backlog': {
    kind: 'integer',
    min: 1,
    max: 65535,
    default: 500,
    unit: 'connections',
    metavar: 'NUMBER',
    help: 'Listen queue depth of the Apache server socket.',
    directive: 'ListenBacklog',
  },
  'header-buffer-size': {
    kind: 'integer',
    min: 0,
    max: 16_777_216,
    default: 0,
    unit: 'bytes',
    metavar: 'BYTES',
    help: "Largest block of response headers a daemon process may send (mod_wsgi's own limit is 32768 bytes; Mercurial's hgweb and large SSO cookies need more). 0: mod_wsgi's default.",
    directive: 'WSGIDaemonProcess header-buffer-size=',
  },
  'daemon-backlog': {
    kind: 'integer',
    min: 1,
    max: 65535,
    default: 100,
    unit: 'connections',
    metavar: 'NUMBER',
    help: 'Listen queue depth of the daemon process sockets.',
    directive: 'WSGIDaemonProcess listen-backlog=',
  },
} as const satisfies Record<string, OptionSpec>;

/** An option name, e.g. `'url-alias'`. */
export type OptionName = keyof typeof OPTION_TABLE;

type ValueOf<S> = S extends { kind: 'integer'; default: number }
  ? number
  : S extends { kind: 'integer' }
    ? number | undefined
    : S extends { kind: 'string'; default: string }
      ? string
      : S extends { kind: 'string' }
        ? string | undefined
        : S extends { kind: 'choice'; default: string; choices: readonly (infer C)[] }
          ? C
          : S extends { kind: 'choice'; choices: readonly (infer C)[] }
            ? C | undefined
            : S extends { kind: 'boolean' }
              ? boolean
              : S extends { kind: 'list' }
                ? string[]
                : S extends { kind: 'pairs' }
                  ? [string, string][]
                  : never;

/** Effective values of every option, keyed by option name. */
export type Options = { -readonly [K in OptionName]: ValueOf<(typeof OPTION_TABLE)[K]> };

/**
 * Where each option's effective value came from. For a repeatable option, the source of
 * the last entry; {@link EntrySources} has each entry's.
 */
export type Sources = Record<OptionName, Source>;

/** For repeatable options: the source of each entry, in the order of the option's value. */
export type EntrySources = Partial<Record<OptionName, Source[]>>;

/** All option names, in table order. */
export const OPTION_NAMES = Object.keys(OPTION_TABLE) as OptionName[];

/** The spec of an option, widened to {@link OptionSpec}. */
export function specOf(name: OptionName): OptionSpec {
  return OPTION_TABLE[name] as OptionSpec;
}

/** `url-alias` → `WHISK_URL_ALIAS`; with `prefix` `MOD_WSGI_`, `MOD_WSGI_URL_ALIAS`. */
export function envName(name: OptionName, prefix = 'WHISK_'): string {
  return prefix + name.toUpperCase().replace(/-/g, '_');
}

/** True for options given more than once (`list`, `pairs`). */
export function isRepeatable(s: OptionSpec): s is ListSpec | PairsSpec {
  return s.kind === 'list' || s.kind === 'pairs';
}

/** What a value of this option may be, for error messages and help. */
export function allowed(s: OptionSpec): string {
  switch (s.kind) {
    case 'integer':
      return `a whole number from ${s.min} to ${s.max}${s.unit ? ` (${s.unit})` : ''}`;
    case 'choice':
      return `one of ${s.choices.join(', ')}`;
    case 'boolean':
      return 'no value (--NAME or --no-NAME); as --NAME=VALUE or in the environment 1/0, true/false, on/off, yes/no';
    case 'pairs':
      return `two values, ${s.metavar} ${s.metavar2}`;
    default:
      return `a ${s.metavar ?? 'value'}`;
  }
}

/** The built-in default of an option (undefined for computed or unset ones; `[]` for repeatable). */
export function defaultOf(name: OptionName): unknown {
  const s = specOf(name);
  if (isRepeatable(s)) return [];
  return 'default' in s ? s.default : undefined;
}
