/**
 * The command table: every whisk command with its usage line, summary and what it runs.
 * Dispatch, "did you mean" and the help's usage lines are all made from it (commands/main.ts).
 */
import { helpText, markdownTable } from '../options/help.js';
import { build } from './build.js';
import { config } from './config.js';
import { reload } from './reload.js';
import { run } from './run.js';
import { commandArgs, serverRootArg } from './server-root-arg.js';
import { start } from './start.js';

/** One whisk command. */
export interface Command {
  name: string;
  /** The arguments after the name, for the usage line: `[options] [entry-point]`. */
  usage: string;
  /** What it does, in a few words. */
  summary: string;
  /**
   * Runs it with the arguments after its name.
   *
   * @returns the exit status (0 success, 1 failure or unhealthy)
   * @throws {UsageError} bad input (exit 2); {StepError} a failed step (exit 1)
   */
  run: (argv: string[]) => Promise<number>;
}

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'start',
    usage: '[options] [entry-point]',
    summary: 'generate the configuration and run Apache in the foreground',
    run: async (a) => {
      await start(a);
      return 0;
    },
  },
  {
    name: 'config',
    usage: '[options] [entry-point]',
    summary: 'print the generated files instead of starting',
    run: async (a) => {
      config(a);
      return 0;
    },
  },
  {
    name: 'run',
    usage: '-- PROGRAM [ARGUMENTS...]',
    summary: 'run a program as the application runs (its working directory and --python-path)',
    run: async (a) => {
      await run(a);
      return 0;
    },
  },
  {
    name: 'build',
    usage: '[dependencies|application|start-cache|all] [DIR]',
    summary: 'run the ONBUILD steps (used by whisk:onbuild)',
    run: async (a) => {
      await build(a);
      return 0;
    },
  },
  {
    name: 'healthcheck',
    usage: '[--server-root DIR]',
    summary: 'exit 0 if the server and the application answer', // node:http only when asked (the image's HEALTHCHECK runs healthcheck.cjs instead).
    run: async (a) => (await import('./healthcheck.js')).healthcheck(serverRootArg('healthcheck', a)),
  },
  {
    name: 'reload',
    usage: '[--server] [--server-root DIR]',
    summary:
      "reload the application: its processes restart one at a time, no request fails (--server: Apache's graceful restart, which also reads certificates again)",
    run: async (a) => {
      const { serverRoot, flags } = commandArgs('reload', a, ['--server']);
      return reload(serverRoot, flags.has('--server'));
    },
  },
  {
    name: 'help',
    usage: '[--markdown]',
    summary: "this help; --markdown: docs/options.md's table",
    run: async (a) => {
      process.stdout.write(a[0] === '--markdown' ? markdownTable() : helpFor());
      return 0;
    },
  },
];

/** The usage lines of every command, aligned: `whisk start [options] [entry-point]   SUMMARY`. */
export function usageLines(): string[] {
  const heads = COMMANDS.map((c) => `whisk ${c.name} ${c.usage}`);
  const width = Math.max(...heads.map((h) => h.length));
  return heads.map((h, i) => `${h.padEnd(width)}   ${COMMANDS[i].summary}`);
}

/** The whole help: the usage lines, then every option. */
export function helpFor(): string {
  return helpText(usageLines());
}
