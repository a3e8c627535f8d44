import { describe, expect, it } from 'vitest';
import { ACCESS_LOG_FORMATS, loggingView, wsgiAtInfo } from '../../../../entrypoint/plan/config/logging.js';
import { contextOf } from '../../../helpers/plan.js';

const view = (argv: string[], requestId = false) => loggingView(contextOf(['--server-root', '/r', ...argv]), requestId);

describe('logging', () => {
  it('keeps mod_wsgi at info for levels below it, so daemon restarts and their reasons are logged', () => {
    expect(['emerg', 'error', 'warn', 'notice'].map(wsgiAtInfo)).toEqual([true, true, true, true]);
    expect(['info', 'debug', 'trace8', 'bogus'].map(wsgiAtInfo)).toEqual([false, false, false, false]);
    expect(view([]).wsgiInfo).toBe(true);
    expect(loggingView(contextOf([], { type: 'static' }), false).wsgiInfo).toBe(false);
  });

  it("takes a preset or a LogFormat string of the user's, and the trusted proxy's request ID when it is trusted", () => {
    expect(view(['--access-log-format', 'common']).accessLogFormat).toBe(ACCESS_LOG_FORMATS.common);
    expect(view(['--access-log-format', '%h "%r" %>s']).accessLogFormat).toBe('%h "%r" %>s');
    expect(view([]).accessLogFormat).toMatch(/ %D %\{UNIQUE_ID\}e %\{whisk_trace_id\}e$/);
    expect(view([], true).accessLogFormat).toMatch(/ %\{X-Request-ID\}i %\{whisk_trace_id\}e$/);
    expect(view(['--access-log', '--access-log-format', 'json']).jsonAccessLog).toBe(true);
    expect(view(['--access-log-format', 'json']).jsonAccessLog).toBe(false);
  });

  it('runs the piped logger without a shell, with an empty environment, its path quoted for APR', () => {
    expect(view([]).accessLogPipe).toBe('||/usr/bin/env -i /usr/bin/perl "/r/access-log.pl"');
    expect(view(['--server-root', '/a "b"\\c']).accessLogPipe).toBe('||/usr/bin/env -i /usr/bin/perl "/a \\"b\\"\\\\c/access-log.pl"');
  });
});
