import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../entrypoint/commands/main.js';
import { COMMANDS, usageLines } from '../../../entrypoint/commands/table.js';

const out = () => {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return { stdout: () => stdout.mock.calls.map((c) => String(c[0])).join(''), stderr: () => stderr.mock.calls.map((c) => String(c[0])).join('') };
};
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the command table', () => {
  it('gives the help one usage line a command, made from the table', async () => {
    const io = out();
    expect(await main(['--help'])).toBe(0);
    for (const c of COMMANDS) expect(io.stdout()).toContain(`whisk ${c.name} ${c.usage}`);
    expect(usageLines()).toHaveLength(COMMANDS.length);
    expect(io.stdout()).toMatch(/^Usage: whisk start \[options\] \[entry-point\]/);
  });

  it('answers --help after any command with the same help, and help --markdown with the option table', async () => {
    const io = out();
    expect(await main(['config', '--processes', '2', '--help'])).toBe(0);
    expect(io.stdout()).toContain('Usage: whisk start');
    expect(await main(['help', '--markdown'])).toBe(0);
    expect(io.stdout()).toContain('| option | environment | default | meaning | maps to |');
  });

  it('names an unknown command with the closest one, or whisk start for an option (exit 2)', async () => {
    const io = out();
    expect(await main(['stat'])).toBe(2);
    expect(io.stderr()).toContain(
      'whisk: error: "stat" is not a whisk command; allowed: start, config, run, build, healthcheck, reload, help (did you mean whisk start?)',
    );
    expect(await main(['--processes'])).toBe(2);
    expect(io.stderr()).toContain('(did you mean whisk start --processes?)');
  });
});

describe('whisk run', () => {
  it("leaves a program's own --help to the program", async () => {
    const io = out();
    // Not started by the launcher: refused after the arguments are read, not answered with help.
    expect(await main(['run', '--', 'python3', '--help'])).toBe(1);
    expect(io.stdout()).not.toContain('Usage: whisk');
    expect(io.stderr()).toContain('whisk run must be run through the whisk launcher');
  });
});
