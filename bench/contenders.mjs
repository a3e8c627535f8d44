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

/** The base image, named once: the default of `ARG BASE_IMAGE` in image/Dockerfile. */
export const BASE_IMAGE = /^ARG BASE_IMAGE=(\S+)$/m.exec(fs.readFileSync(path.join(ROOT, 'image/Dockerfile'), 'utf8'))[1];

/** Workloads: URL path and which app serves it. */
export const WORKLOADS = {
  hello: { path: '/', app: 'hello' },
  django: { path: '/', app: 'django' },
  'static-64k': { path: '/static/bench/64k.bin', app: 'django' },
  'static-1m': { path: '/static/bench/1m.bin', app: 'django' },
};

/** The contender every ratio is taken against: the hand-written stack whisk replaces. */
export const REFERENCE = 'nginx-gunicorn';

/**
 * Contenders. `env(port, app)` is the container's environment; `extraEnv` (from
 * `--whisk-env`) goes to whisk only, for trying a setting.
 */
export const CONTENDERS = [
  { name: 'whisk', label: 'whisk', images: { hello: 'whisk-example-hello:bench', django: 'whisk-bench-django:bench' },
    env: (port) => [`WHISK_PORT=${port}`, 'WHISK_HOST=127.0.0.1'], workloads: ['hello', 'django', 'static-64k', 'static-1m'] },
  { name: 'nginx-gunicorn', label: 'nginx + gunicorn sync', images: { hello: 'bench-nginx-gunicorn:bench', django: 'bench-nginx-gunicorn:bench' },
    env: (port, app) => ['CONTENDER=nginx-gunicorn', `APP=${app}`, `PORT=${port}`], workloads: ['hello', 'django', 'static-64k', 'static-1m'] },
  { name: 'gthread', label: 'gunicorn gthread 2x4', images: { hello: 'bench-gthread:bench', django: 'bench-gthread:bench' },
    env: (port, app) => ['CONTENDER=gthread', `APP=${app}`, `PORT=${port}`], workloads: ['hello', 'django'] },
  { name: 'uwsgi', label: 'uWSGI http-socket 2 proc', images: { hello: 'bench-uwsgi:bench', django: 'bench-uwsgi:bench' },
    env: (port, app) => ['CONTENDER=uwsgi', `APP=${app}`, `PORT=${port}`], workloads: ['hello', 'django', 'static-64k', 'static-1m'] },
  { name: 'nginx', label: 'nginx static', images: { django: 'bench-nginx:bench' },
    env: (port) => ['CONTENDER=nginx', 'APP=django', `PORT=${port}`], workloads: ['static-64k', 'static-1m'] },
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
  [/apache2/, 'Apache'],
  [/^\/bin\/cat|^cat\b/, 'access logger (cat)'],
  [/nginx: worker/, 'nginx workers'],
  [/nginx: master/, 'nginx master'],
  [/gunicorn/, 'gunicorn'],
  [/uwsgi/, 'uWSGI'],
  [/tini|dumb-init|start\.sh/, 'init'],
];

/** The class of a process's command line. */
export function processClass(args) {
  return PROCESS_CLASSES.find(([re]) => re.test(args))?.[1] ?? 'other';
}
