/**
 * View model + `templates/*.mustache` → the files of the server root. Pure apart from
 * reading the templates. Each template has one escape function, so every `{{value}}` is
 * written in that file's syntax: Apache arguments in httpd.conf ({@link apacheQuote}),
 * Python literals in handler.wsgi ({@link pythonLiteral}). No template uses `{{{raw}}}`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { apacheQuote } from './apache.js';
import { SERVER_ROOT_LAYOUT as L } from './config/layout.js';
import { shellWords } from './shell.js';
import type { ViewModel } from './view.js';

/**
 * The templates directory: `templates/` beside the bundle's `dist/` (`__dirname` is the
 * bundle's), or beside `entrypoint/` when the sources run under the tests.
 */
export const TEMPLATES_DIR =
  process.env.WHISK_TEMPLATES ??
  ([path.resolve(__dirname, '..', 'templates'), path.resolve(__dirname, '..', '..', 'templates')].find((d) => fs.existsSync(d)) as string);

/**
 * A value as a Python literal: strings (JSON string syntax is valid Python), numbers,
 * booleans (`True`/`False`) and lists of those.
 *
 * @throws Error for any other type (a bug in the view model, not user input)
 */
export function pythonLiteral(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pythonLiteral).join(', ')}]`;
  throw new Error(`pythonLiteral: cannot write ${String(value)}`);
}

function template(name: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, name), 'utf8');
}

/**
 * Renders the server root's files.
 *
 * @returns file name (relative to the server root; each named in config/layout.ts) →
 *   contents: `httpd.conf` and `state.json` (for `whisk healthcheck` and `whisk reload`)
 *   always; `handler.wsgi` and `health.wsgi` for a WSGI application; `asgi-service.wsgi`,
 *   `asgi.py` and `asgi-sockets.json` for an ASGI one; `service-N.wsgi` for each
 *   `--service-script`; `access-log.pl` (the piped access logger) with `--access-log`;
 *   `metrics.wsgi` for `--metrics`; `acme-message` (mod_md's `MDMessageCmd`) for
 *   `--acme-email`.
 * @throws {UsageError} a value Apache's configuration cannot carry (see apache.ts)
 */
export function renderFiles(view: ViewModel): Record<string, string> {
  const files: Record<string, string> = {
    [L.configFile.name]: Mustache.render(
      template('httpd.conf.mustache'),
      view,
      {
        precompressed: template('precompressed.conf.mustache'),
        symlinks: template('symlinks.conf.mustache'),
        asgiRoute: template('asgi-route.conf.mustache'),
        asgiBodyLimit: template('asgi-body-limit.conf.mustache'),
        asgiProxy: template('asgi-proxy.conf.mustache'),
      },
      { escape: (v: unknown) => apacheQuote(v as string | number) },
    ),
  };
  files[L.stateFile.name] = JSON.stringify(view.state);
  if (view.tls?.acme)
    files[L.acmeMessageScript.name] = Mustache.render(
      template('acme-message.sh.mustache'),
      { pidFile: view.pidFile },
      {},
      { escape: (v: unknown) => shellWords([v as string]) },
    );
  if (view.accessLog) files[L.accessLogScript.name] = Mustache.render(template('access-log.pl.mustache'), { json: view.jsonAccessLog });
  const partials = { 'python-runtime': template('python-runtime.py.mustache') };
  /** A generated script's values, with where it imports whisk's runtime module `module` from. */
  const python = (module: string, values: object) => ({ ...values, pythonRuntime: view.pythonRuntime, runtimeModule: `whisk_runtime.${module}` });
  if (view.asgi) {
    files[L.asgiServiceScript.name] = Mustache.render(template('asgi-service.wsgi.mustache'), view.asgi, {}, { escape: pythonLiteral });
    files[L.asgiRunnerScript.name] = Mustache.render(template('asgi.py.mustache'), python('asgi', view.asgi.runner), partials, { escape: pythonLiteral });
    files[L.asgiSockets.name] = JSON.stringify(view.asgi.holder);
  }
  view.services?.list.forEach((service) => {
    files[path.basename(service.wrapper)] = Mustache.render(template('service.wsgi.mustache'), python('service', service), partials, { escape: pythonLiteral });
  });
  if (view.wsgi) {
    files[L.handlerScript.name] = Mustache.render(template('handler.wsgi.mustache'), python('handler', view.wsgi.handler), partials, { escape: pythonLiteral });
    files[L.healthScript.name] = Mustache.render(template('health.wsgi.mustache'), python('health', {}), partials, { escape: pythonLiteral });
  }
  if (view.metrics) {
    files[L.metricsScript.name] = Mustache.render(
      template('metrics.wsgi.mustache'),
      python('metrics', {
        statusUrl: view.metrics.statusUrl,
        metricsDir: view.metrics.dir,
        applicationMetricsDir: view.metrics.applicationDir,
        virtualEnv: view.metrics.virtualEnv,
        asgi: view.metrics.asgi,
        acmeName: view.tls?.acme?.names[0] ?? '',
        acmeCertificate: view.tls?.acme?.certificate ?? '',
        threads: view.wsgi ? (view.wsgi.daemon?.threads ?? view.wsgi.handler.concurrency) : 0,
      }),
      partials,
      { escape: pythonLiteral },
    );
  }
  return files;
}
