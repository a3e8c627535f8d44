/**
 * What the benchmark compares, as data: the workloads, and the contenders with their images,
 * environment and the workloads each takes part in. Every contender runs as production would:
 * access log on, to stdout (whisk's image default, nginx's access_log, gunicorn
 * `--access-logfile -`, uWSGI's request log), and no health check during the cells.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The base image of whisk:latest, named once: the first line of image/pythons. */
export const BASE_IMAGE = /^[\d.]+\s+(\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'image/pythons'), 'utf8'))[1];

/** A real text asset: Django admin's jQuery (87 KiB minified), collected at build time. */
const ASSET = '/static/admin/js/vendor/jquery/jquery.min.js';

/**
 * A workload again at 64 connections, each pausing `thinkMs` after a response: about the
 * same load for every contender (11,000-18,000 req/s here), below saturation, so the p99s
 * compare at equal work (see bench/think-time.lua).
 */
const paced = (workload, thinkMs) => ({ ...workload, thinkMs, connections: [64] });

const STATIC_64K = { path: '/static/bench/64k.bin', app: 'django' };
const ASSET_PLAIN = { path: ASSET, app: 'django' };
const ASSET_BR = { path: ASSET, app: 'django', headers: { 'Accept-Encoding': 'gzip, deflate, br' } };

/**
 * Workloads: URL path, which app serves it, request headers (wrk -H), and for a paced
 * workload the milliseconds each connection waits between a response and its next request
 * (`thinkMs`, bench/think-time.lua) and the connection counts it runs at (`connections`,
 * else the run's).
 */
export const WORKLOADS = {
  hello: { path: '/', app: 'hello' },
  django: { path: '/', app: 'django' },
  'static-64k': STATIC_64K,
  'static-1m': { path: '/static/bench/1m.bin', app: 'django' },
  asset: ASSET_PLAIN,
  'asset-br': ASSET_BR,
  'static-64k-paced': paced(STATIC_64K, 2),
  'asset-paced': paced(ASSET_PLAIN, 4),
  'asset-br-paced': paced(ASSET_BR, 4),
  // Over TLS (1.3, keep-alive: one handshake per connection), the same certificate for all.
  // Their own containers (app `hello-tls`, `django-tls`: the same images, with HTTPS on), so
  // the plain cells and the start-up figures are of servers without TLS, as before.
  'hello-tls': { path: '/', app: 'hello-tls', https: true, connections: [64] },
  'django-tls': { path: '/', app: 'django-tls', https: true, connections: [64] },
  // A Django page the application marks public for 60 s (examples/django's /cached/).
  'django-cached': { path: '/cached/', app: 'django', connections: [64] },
  // Over HTTP/2 (h2 by ALPN, h2load): 8 connections of 8 streams each, 64 requests in flight
  // as at c=64, the browser's pattern of many streams on few connections.
  'hello-h2': { path: '/', app: 'hello-tls', https: true, connections: [8], streams: 8 },
  'django-h2': { path: '/', app: 'django-tls', https: true, connections: [8], streams: 8 },
  'asset-h2': { ...ASSET_PLAIN, app: 'django-tls', https: true, connections: [8], streams: 8 },
};

/** The static workloads, closed-loop and paced. */
const STATIC = ['static-64k', 'static-1m', 'asset', 'asset-br', 'static-64k-paced', 'asset-paced', 'asset-br-paced'];

/** The HTTPS workloads: whisk and nginx (TLS) → gunicorn, the stack whisk replaces. */
const TLS = ['hello-tls', 'django-tls', 'hello-h2', 'django-h2', 'asset-h2'];

/** A contender's images, and the same again for the HTTPS workloads' apps (`hello-tls`, `django-tls`). */
const withTls = (images) => ({ ...images, 'hello-tls': images.hello, 'django-tls': images.django });

/** The contender every ratio is taken against: the hand-written stack whisk replaces. */
export const REFERENCE = 'nginx-gunicorn';

/**
 * Contenders. `env(port, app)` is the container's environment; `extraEnv` (from
 * `--whisk-env`) goes to whisk only, for trying a setting; `prepare`, a command run in the
 * container once it answers.
 */
export const CONTENDERS = [
  {
    name: 'whisk',
    label: 'whisk',
    images: withTls({ hello: 'whisk-bench-hello:bench', django: 'whisk-bench-django:bench' }),
    env: (port, app, tlsPort) => [
      `WHISK_PORT=${port}`,
      'WHISK_HOST=127.0.0.1',
      ...(app.endsWith('-tls')
        ? [
            `WHISK_HTTPS_PORT=${tlsPort}`,
            'WHISK_SSL_CERTIFICATE_FILE=/bench-tls/site.crt',
            'WHISK_SSL_CERTIFICATE_KEY_FILE=/bench-tls/site.key',
            'WHISK_HTTP2=1',
          ]
        : []),
    ],
    workloads: ['hello', 'django', 'django-cached', ...STATIC, ...TLS],
  },
  // The same with its response cache: a hit never reaches Python.
  {
    name: 'whisk-cache',
    label: 'whisk --cache-responses',
    images: { django: 'whisk-bench-django:bench' },
    env: (port) => [`WHISK_PORT=${port}`, 'WHISK_HOST=127.0.0.1', 'WHISK_CACHE_RESPONSES=1'],
    workloads: ['django-cached'],
  },
  // The same, compressing on the fly: the build step's .br/.gz files are removed first.
  {
    name: 'whisk-on-the-fly',
    label: 'whisk --compress-responses, no precompressed files',
    images: { django: 'whisk-bench-django:bench' },
    env: (port) => [`WHISK_PORT=${port}`, 'WHISK_HOST=127.0.0.1', 'WHISK_COMPRESS_RESPONSES=1'],
    workloads: ['asset-br'],
    prepare: ['find', '/app', '(', '-name', '*.br', '-o', '-name', '*.gz', ')', '-delete'],
  },
  {
    name: 'nginx-gunicorn',
    label: 'nginx + gunicorn sync',
    images: withTls({ hello: 'bench-nginx-gunicorn:bench', django: 'bench-nginx-gunicorn:bench' }),
    env: (port, app, tlsPort) => ['CONTENDER=nginx-gunicorn', `APP=${app.replace(/-tls$/, '')}`, `PORT=${port}`, `TLS_PORT=${tlsPort}`],
    workloads: ['hello', 'django', 'django-cached', ...STATIC, ...TLS],
  },
  {
    name: 'gthread',
    label: 'gunicorn gthread 2x4',
    images: { hello: 'bench-gthread:bench', django: 'bench-gthread:bench' },
    env: (port, app) => ['CONTENDER=gthread', `APP=${app}`, `PORT=${port}`],
    workloads: ['hello', 'django'],
  },
  {
    name: 'uwsgi',
    label: 'uWSGI http-socket 2 proc',
    images: { hello: 'bench-uwsgi:bench', django: 'bench-uwsgi:bench' },
    env: (port, app) => ['CONTENDER=uwsgi', `APP=${app}`, `PORT=${port}`],
    workloads: ['hello', 'django', 'static-64k', 'static-1m'],
  },
  {
    name: 'nginx',
    label: 'nginx static',
    images: { django: 'bench-nginx:bench' },
    // Not the asset workloads: its image has no Django, so no admin files (nginx + gunicorn's
    // nginx serves them).
    env: (port) => ['CONTENDER=nginx', 'APP=django', `PORT=${port}`],
    workloads: ['static-64k', 'static-1m', 'static-64k-paced'],
  },
];

/** Debian packages of each peer image (bench/peers/Dockerfile). */
export const PEER_PACKAGES = {
  'nginx-gunicorn': 'nginx python3-gunicorn python3-django libjs-jquery',
  gthread: 'python3-gunicorn python3-django libjs-jquery',
  uwsgi: 'uwsgi-core uwsgi-plugin-python3 python3-django libjs-jquery',
  nginx: 'nginx',
};

/**
 * Process classes for CPU accounting: the first pattern matching a process's command line
 * names its class.
 */
export const PROCESS_CLASSES = [
  [/^\(wsgi:/, 'mod_wsgi daemons'],
  // whisk's ASGI processes: Debian's python3 running asgi.py (uvicorn), exec'd by a mod_wsgi service daemon.
  [/asgi\.py/, 'uvicorn (whisk)'],
  [/apache2/, 'Apache'],
  [/access-log\.pl/, 'access logger'],
  [/^\/bin\/cat|^cat\b/, 'access logger (cat)'],
  [/nginx: worker/, 'nginx workers'],
  [/nginx: master/, 'nginx master'],
  [/gunicorn/, 'gunicorn'],
  [/uwsgi/, 'uWSGI'],
  [/uvicorn/, 'uvicorn'],
  // uvicorn's and hypercorn's --workers: multiprocessing children of the server process.
  [/multiprocessing/, 'worker processes'],
  [/hypercorn/, 'hypercorn'],
  [/daphne/, 'daphne'],
  [/tini|dumb-init|start\.sh/, 'init'],
];

/** The class of a process's command line. */
export function processClass(args) {
  return PROCESS_CLASSES.find(([re]) => re.test(args))?.[1] ?? 'other';
}
