/**
 * whisk's Python runtime (runtime/whisk_runtime), as the image ships it: its unit tests
 * (runtime/tests, mounted read-only) run inside the image by the image's own Python (3.13 in
 * whisk:latest, 3.11 in whisk:3.11), against the root-owned copy in /opt/whisk/runtime, as
 * the application's user.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildImages, removeAll, run, RUNTIME_IMAGE, waitExit } from '../helpers/docker.js';
import { ROOT } from '../helpers/http.js';

beforeAll(buildImages);
afterAll(removeAll);

describe('the Python runtime in the image', () => {
  it("passes its unit tests under the image's Python, imported from the root-owned /opt/whisk/runtime", async () => {
    const c = await run(RUNTIME_IMAGE, {
      entrypoint: ['/bin/sh', '-c'],
      cmd: [
        'cd /opt/whisk-tests && PYTHONPATH=/opt/whisk/runtime PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -m unittest discover -v -s tests -t . 2>&1 && ' +
          '/usr/bin/python3 -c "import sys; sys.path.insert(0, \'/opt/whisk/runtime\'); import whisk_runtime.handler as h; print(h.__file__)"',
      ],
      host: { Binds: [`${path.join(ROOT, 'runtime', 'tests')}:/opt/whisk-tests/tests:ro`] },
    });
    const code = await waitExit(c.container, 60);
    const logs = await c.logs();
    expect(code, logs).toBe(0);
    expect(logs).toMatch(/^Ran \d+ tests in [\d.]+s\n\nOK( \(skipped=\d+\))?$/m);
    // The only tests skipped are those that need the application's prometheus_client, which
    // the image leaves to the application (apt-packages.txt); they run on the host.
    expect(logs.split('\n').filter((l) => / \.\.\. skipped /.test(l) && !l.includes("Debian's python3-prometheus-client"))).toEqual([]);
    expect(logs).toMatch(/^\/opt\/whisk\/runtime\/whisk_runtime\/handler\.py$/m);
  });
});
