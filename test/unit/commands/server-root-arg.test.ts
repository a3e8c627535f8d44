import { afterEach, describe, expect, it } from 'vitest';
import { commandArgs, serverRootArg } from '../../../entrypoint/commands/server-root-arg.js';
import { usageFailure } from '../../helpers/options.js';

afterEach(() => {
  delete process.env.WHISK_SERVER_ROOT;
});

describe('--server-root of whisk healthcheck and whisk reload', () => {
  it('takes --server-root DIR or --server-root=DIR, else WHISK_SERVER_ROOT, else none', () => {
    expect(serverRootArg('healthcheck', ['--server-root', '/srv/a'])).toBe('/srv/a');
    expect(serverRootArg('healthcheck', ['--server-root=/srv/b c'])).toBe('/srv/b c');
    process.env.WHISK_SERVER_ROOT = '/srv/env';
    expect(serverRootArg('reload', [])).toBe('/srv/env');
    expect(serverRootArg('reload', ['--server-root', '/srv/a'])).toBe('/srv/a');
    delete process.env.WHISK_SERVER_ROOT;
    expect(serverRootArg('reload', [])).toBeUndefined();
  });

  it('refuses any other argument, a relative path and a control character, naming the command', () => {
    expect(usageFailure(() => serverRootArg('reload', ['--force']))).toBe('whisk reload: "--force" is not allowed; allowed: --server-root DIRECTORY-PATH');
    expect(usageFailure(() => serverRootArg('healthcheck', ['--server-root', 'tmp/x']))).toMatch(
      /^whisk healthcheck --server-root: "tmp\/x" is not allowed; allowed: an absolute file-system path/,
    );
    expect(usageFailure(() => serverRootArg('healthcheck', ['--server-root=/tmp/a\nb']))).toMatch(/contains a newline \(U\+000A\)/);
  });

  it('takes the flags a command allows (whisk reload --server) in any order, and names them when refusing', () => {
    expect(commandArgs('reload', ['--server', '--server-root', '/srv/a'], ['--server'])).toEqual({ serverRoot: '/srv/a', flags: new Set(['--server']) });
    expect(commandArgs('reload', [], ['--server'])).toEqual({ flags: new Set() });
    expect(usageFailure(() => commandArgs('reload', ['--servers'], ['--server']))).toBe(
      'whisk reload: "--servers" is not allowed; allowed: --server, --server-root DIRECTORY-PATH',
    );
    expect(usageFailure(() => serverRootArg('healthcheck', ['--server']))).toBe(
      'whisk healthcheck: "--server" is not allowed; allowed: --server-root DIRECTORY-PATH',
    );
  });
});
