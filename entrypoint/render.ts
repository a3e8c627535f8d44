/**
 * View model + `templates/*.mustache` → the files of the server root. Pure apart from
 * reading the templates.
 */
import fs from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import type { ViewModel } from './config.js';

/** The templates directory: `templates/` beside the bundle's `dist/` or the sources' `entrypoint/`. */
export const TEMPLATES_DIR = process.env.WHISK_TEMPLATES ?? path.resolve(__dirname, '..', 'templates');

/**
 * Escapes a value for use inside a double-quoted Apache config argument. Mustache calls it
 * for every `{{value}}` in httpd.conf; `{{{value}}}` is inserted as it is.
 */
export function escapeApache(value: unknown): string {
  return String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/[\r\n]/g, ' ');
}

function template(name: string): string {
  return fs.readFileSync(path.join(TEMPLATES_DIR, name), 'utf8');
}

/**
 * Renders the server root's files.
 *
 * @returns file name (relative to the server root) → contents: `httpd.conf` always;
 *   `handler.wsgi` and `health.wsgi` unless the application type is static.
 */
export function renderFiles(view: ViewModel): Record<string, string> {
  const files: Record<string, string> = {
    'httpd.conf': Mustache.render(template('httpd.conf.mustache'), view, {}, { escape: escapeApache }),
  };
  if (view.wsgi) {
    files['handler.wsgi'] = Mustache.render(template('handler.wsgi.mustache'), view.wsgi.handler);
    files['health.wsgi'] = Mustache.render(template('health.wsgi.mustache'), {});
  }
  return files;
}
