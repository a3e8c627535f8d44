import { describe, expect, it } from 'vitest';
import { execLine, type CommandFacts } from '../../../../entrypoint/plan/config/command.js';

const facts = (over: Partial<CommandFacts> = {}): CommandFacts => ({
  apacheBinary: '/usr/sbin/apache2',
  configFile: '/tmp/r/httpd.conf',
  python: '/usr/bin/python3',
  distDir: '/opt/whisk/dist',
  underInit: true,
  shutdownDelay: 0,
  probe: { ready: '/tmp/r/probe/ready', stopping: '/tmp/r/stopping', draining: '/tmp/r/draining' },
  ...over,
});

describe('the command whisk start execs', () => {
  it('in the image: Apache in a session of its own, or under the supervisor with --shutdown-delay', () => {
    expect(execLine(facts())).toEqual(['/usr/bin/setsid', '/usr/sbin/apache2', '-f', '/tmp/r/httpd.conf', '-DFOREGROUND']);
    const supervisor = [
      '/opt/whisk/dist/shutdown-delay',
      '/tmp/r/probe/ready',
      '/tmp/r/stopping',
      '/tmp/r/draining',
      '/usr/sbin/apache2',
      '-f',
      '/tmp/r/httpd.conf',
      '-DFOREGROUND',
    ];
    expect(execLine(facts({ shutdownDelay: 5 }))).toEqual([supervisor[0], '5', ...supervisor.slice(1)]);
  });

  it('an ASGI application: the socket holder first, then the supervisor (which tells the processes of a stop)', () => {
    expect(execLine(facts({ asgiSockets: '/tmp/r/asgi-sockets.json' }))).toEqual([
      '/usr/bin/python3',
      '-I',
      '/opt/whisk/dist/asgi-sockets',
      '/tmp/r/asgi-sockets.json',
      '/opt/whisk/dist/shutdown-delay',
      '0',
      '/tmp/r/probe/ready',
      '/tmp/r/stopping',
      '/tmp/r/draining',
      '/usr/sbin/apache2',
      '-f',
      '/tmp/r/httpd.conf',
      '-DFOREGROUND',
    ]);
  });

  it('outside the image (no dumb-init): Apache itself, behind the socket holder for ASGI', () => {
    expect(execLine(facts({ underInit: false, shutdownDelay: 5 }))).toEqual(['/usr/sbin/apache2', '-f', '/tmp/r/httpd.conf', '-DFOREGROUND']);
    expect(execLine(facts({ underInit: false, asgiSockets: '/tmp/r/a.json' })).slice(0, 5)).toEqual([
      '/usr/bin/python3',
      '-I',
      '/opt/whisk/dist/asgi-sockets',
      '/tmp/r/a.json',
      '/usr/sbin/apache2',
    ]);
  });
});
