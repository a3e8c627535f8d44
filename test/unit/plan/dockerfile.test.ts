import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dockerfileCommand } from '../../../entrypoint/plan/dockerfile.js';

describe('dockerfileCommand', () => {
  it('reads the two-line Dockerfile of whisk:onbuild', () => {
    const text = 'FROM whisk:onbuild\nCMD ["--working-directory", "example", "--url-alias", "/static", "example/htdocs", "example.wsgi"]\n';
    expect(dockerfileCommand(text)).toEqual(['--working-directory', 'example', '--url-alias', '/static', 'example/htdocs', 'example.wsgi']);
  });

  it('joins continuation lines, skips comments and takes the last CMD of the last stage', () => {
    const text = [
      '# syntax-free comment',
      'FROM python AS assets',
      'CMD ["no"]',
      'FROM whisk:onbuild',
      'RUN echo a \\',
      '  && echo b',
      'CMD ["first"]',
      'cmd ["--processes", \\',
      '# a comment inside',
      '     "3", "wsgi.py"]',
      'EXPOSE 80',
    ].join('\n');
    expect(dockerfileCommand(text)).toEqual(['--processes', '3', 'wsgi.py']);
  });

  it('drops a leading `whisk start`, and gives nothing for another whisk command', () => {
    expect(dockerfileCommand('FROM whisk:onbuild\nCMD ["whisk", "start", "wsgi.py"]')).toEqual(['wsgi.py']);
    expect(dockerfileCommand('FROM whisk:onbuild\nCMD ["whisk", "config", "wsgi.py"]')).toBeUndefined();
  });

  it.each([
    ['shell form', 'FROM whisk:onbuild\nCMD wsgi.py'],
    ['no CMD', 'FROM whisk:onbuild\n'],
    ['CMD of an earlier stage only', 'FROM whisk:onbuild\nCMD ["wsgi.py"]\nFROM other\n'],
    ['ENV in the last stage', 'FROM whisk:onbuild\nENV WHISK_PROCESSES=4\nCMD ["wsgi.py"]'],
    ['USER in the last stage', 'FROM whisk:onbuild\nCMD ["wsgi.py"]\nUSER root'],
    ['WORKDIR in the last stage', 'FROM whisk:onbuild\nWORKDIR /app/x\nCMD ["wsgi.py"]'],
    ['ENTRYPOINT in the last stage', 'FROM whisk:onbuild\nENTRYPOINT ["/bin/x"]\nCMD ["wsgi.py"]'],
    ['a parser directive', '# escape=`\nFROM whisk:onbuild\nCMD ["wsgi.py"]'],
    ['a heredoc', 'FROM whisk:onbuild\nRUN <<EOF\nCMD ["x"]\nEOF\nCMD ["wsgi.py"]'],
    ['a number in the array', 'FROM whisk:onbuild\nCMD ["--processes", 3]'],
  ])('gives nothing for %s', (_, text) => {
    expect(dockerfileCommand(text)).toBeUndefined();
  });

  it('gives back any exec-form command exactly (property)', () => {
    const word = fc.string({ minLength: 1 }).filter((w) => !w.includes('<<') && w !== 'whisk');
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (words) => {
        expect(dockerfileCommand(`FROM whisk:onbuild\nCMD ${JSON.stringify(words)}\n`)).toEqual(words);
      }),
    );
  });
});
