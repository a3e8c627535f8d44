/**
 * The production test app of the image tests (signals, health, timeouts, users, overrides):
 * one WSGI script with a route for each behaviour, built FROM whisk:onbuild as users build,
 * and a twin that fails to import.
 */
import { afterAll, beforeAll } from 'vitest';
import { buildApp, buildImages, processes, removeAll, type Running } from './docker.js';
import { fixture } from './files.js';

/** Routes: /slow?SECONDS, /spawn (an orphan), /exit (the daemon dies), /greeting, /pid, /upload. */
export const PROD_APP = fixture('prod-app.wsgi');

/**
 * Builds the app (with `.whisk/server-args` taken literally) and its broken twin.
 *
 * @returns their image tags
 */
async function buildProdApps(): Promise<{ image: string; broken: string }> {
  const image = await buildApp('prod', {
    Dockerfile: 'FROM whisk:onbuild\nCMD ["--processes", "2", "wsgi.py"]\n',
    'wsgi.py': PROD_APP,
    '.whisk/server-args': "# taken literally: no $VAR expansion\n--threads 4\n--setenv APP_GREETING '$HOME #not a comment'\n",
  });
  const broken = await buildApp('prod-broken', {
    Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n',
    'wsgi.py': 'raise ImportError("no database driver")\n',
  });
  return { image, broken };
}

/** The image tags of {@link buildProdApps}, filled in before a file's tests run. */
export interface ProdApps {
  image: string;
  broken: string;
}

/**
 * For a test file: builds whisk's images and the production apps before its tests, and
 * removes the containers it started after them.
 */
export function useProdApps(): ProdApps {
  const apps: ProdApps = { image: '', broken: '' };
  beforeAll(async () => {
    await buildImages();
    Object.assign(apps, await buildProdApps());
  });
  afterAll(removeAll);
  return apps;
}

/** The container's mod_wsgi daemon processes. */
export const daemons = async (c: Running) => (await processes(c)).filter((p) => p.args.startsWith('(wsgi:whisk)'));
/** Waits `ms` milliseconds. */
