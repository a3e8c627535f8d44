/**
 * Container-aware sizing in real containers: daemon processes from the CPU and memory limits Docker sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildImages, removeAll, serving } from '../helpers/docker.js';
import { daemons, PROD_APP } from '../helpers/prod-app.js';

beforeAll(buildImages);
afterAll(removeAll);

describe('container-aware sizing', () => {
  it.each([
    [
      '--cpus 1 --memory 256m',
      { NanoCpus: 1e9, Memory: 256 * 1024 * 1024 },
      1,
      /processes\s+1 \(cpus 1 from cgroup v[12] cpu\S*; memory 256 MiB from cgroup v[12] memory\S*\)\s+\[computed\]/,
    ],
    ['--cpus 2', { NanoCpus: 2e9 }, 2, /processes\s+2 \(cpus 2 from cgroup v[12] cpu\S*; memory unlimited\)/],
    ['--cpus 0.5 --memory 1g', { NanoCpus: 5e8, Memory: 1024 ** 3 }, 1, /processes\s+1 \(cpus 0.5 from cgroup/],
  ])('%s: computes processes from the cgroup limits and runs that many daemons', async (_label, host, expected, line) => {
    const hello = await buildApp('sizing', { Dockerfile: 'FROM whisk:onbuild\nCMD ["wsgi.py"]\n', 'wsgi.py': PROD_APP });
    const c = await serving(hello, { host });
    const logs = await c.logs();
    expect(logs).toMatch(line);
    expect(logs).toMatch(/--max-clients\s+\d+\s+\[computed\]/);
    expect(await daemons(c)).toHaveLength(expected);
  });
});
