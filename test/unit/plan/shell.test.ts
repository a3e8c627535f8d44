import { describe, expect, it } from 'vitest';
import { shellWords } from '../../../entrypoint/plan/shell.js';

describe("shell words (whisk config's command line, acme-message)", () => {
  it('prints safe words as they are and quotes the rest', () => {
    expect(shellWords(['/usr/sbin/apache2', '-f', '/tmp/whisk-80-1001/httpd.conf', '-DFOREGROUND'])).toBe(
      '/usr/sbin/apache2 -f /tmp/whisk-80-1001/httpd.conf -DFOREGROUND',
    );
    expect(shellWords(['/srv/my root/x', "it's", ''])).toBe("'/srv/my root/x' 'it'\\''s' ''");
  });
});
