/**
 * `whisk start`: preflight → prepare → write the server root → hand over. Reads the
 * environment, the cgroup files and the app's files at the start; writes the server root
 * and hands the process to Apache (through the launcher) at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { resolveAccount, type Account } from '../system/accounts.js';
import { handOver } from '../system/hand-over.js';
import { log } from '../system/log.js';
import { checkErrorLogStream, checkListen, checkPort } from '../system/preflight.js';
import { checkRootOnlyFile } from '../system/root-only.js';
import { checkAcmeStore } from '../system/acme-store.js';
import { checkCertificates } from '../system/tls.js';
import { certificateFiles } from '../plan/config/tls.js';
import { readRuntime } from '../system/runtime.js';
import { prepareServerRoot, writeProbeDir, writeServerRoot } from '../system/server-root.js';
import { runHook } from '../system/steps.js';
import { prepare, startLog, type Prepared } from '../plan/prepare.js';

/**
 * Runs `fn`; a UsageError for a command line whose first word is neither an option nor a
 * file gets a hint: the image's entry point ran the server because no program of that name
 * is on PATH (docs/user-guide.md, "Commands"), which is the likely mistake (`celery -A proj worker`
 * without Debian's celery package).
 */
function withProgramHint<T>(argv: string[], cwd: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const first = argv[0];
    if (!(error instanceof UsageError) || first === undefined || first.startsWith('-') || argv.length < 2 || fs.existsSync(path.resolve(cwd, first)))
      throw error;
    throw new UsageError(
      `${error.message} (if ${JSON.stringify(first)} is a program to run instead of the server, it is not on PATH: install it, e.g. in apt-packages.txt, or give its path)`,
    );
  }
}

/**
 * What only the machine can refuse, before anything is written: the port (privileged, in
 * use), the address, the certificate files or the ACME store, the account and the files root
 * would read (as root). Adds the ACME store's warnings to the start's.
 *
 * @returns the application's account when whisk runs as root
 */
async function preflight({ view, warnings }: Prepared, uid: number): Promise<Account | undefined> {
  checkPort(view.port, uid);
  await checkListen(view.host, view.port);
  if (view.tls) {
    checkPort(view.tls.port, uid, '--https-port');
    await checkListen(view.host, view.tls.port, '--https-port');
    const files = certificateFiles(view.tls);
    if (files) checkCertificates(files);
    if (view.tls.acme) warnings.push(...checkAcmeStore(view.tls.acme));
  }
  let account: Account | undefined;
  if (view.runAs) {
    account = await resolveAccount(view.runAs.user, view.runAs.group);
    for (const f of view.includeFiles) checkRootOnlyFile(f, '--include-file');
    if (view.rewriteRules) checkRootOnlyFile(view.rewriteRules, '--rewrite-rules');
  }
  return account;
}

/**
 * Runs the server: every check, the deploy hook, the server root, then Apache in whisk's
 * place.
 *
 * @param argv options and the entry point, after `start`
 * @throws {UsageError} bad input (exit 2), before anything is written
 * @throws {StepError} a failed deploy hook or an unusable stderr (exit 1)
 */
export async function start(argv: string[]): Promise<void> {
  const cwd = process.cwd();
  const runtime = readRuntime(process.env);
  const asRoot = runtime.uid === 0;
  const prepared = withProgramHint(argv, cwd, () => prepare(argv, process.env, cwd, runtime));
  const { view, files } = prepared;
  const account = await preflight(prepared, runtime.uid);
  prepareServerRoot(view.serverRoot, asRoot);
  // After every check of the input (exit 2): this one is the environment's (exit 1).
  checkErrorLogStream();
  await runHook(cwd, 'deploy', account);
  writeServerRoot(view.serverRoot, files, asRoot, view.emptyDirs);
  await writeProbeDir(view.probe, account, view.kind === 'static');
  for (const line of startLog(prepared)) log(line);
  handOver('start', view.argv);
}
