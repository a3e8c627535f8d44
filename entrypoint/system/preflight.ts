/**
 * The checks `whisk start` makes before it writes or starts anything, of what only the
 * machine can tell: the address and port can be bound, stderr can be Apache's error log.
 */
import fs from 'node:fs';
import net from 'node:net';
import { StepError, UsageError } from '../errors.js';

/**
 * Binds and closes the address Apache will listen on, so a host that does not resolve or is
 * not this machine's, or a port already taken, fails here with one line instead of inside
 * Apache after the start log (Apache `Listen`).
 *
 * @param host the bare --host (no brackets), or undefined for every address
 * @throws {UsageError} naming --host or --port
 */
export async function checkListen(host: string | undefined, port: number, option = '--port'): Promise<void> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = net.createServer();
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
  if (!error) return;
  const where = `${host ?? 'all interfaces'} port ${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      throw new UsageError(
        `${option}: ${port} is already in use on ${host ?? 'this machine'}; allowed: a free port (another server, or an earlier whisk, holds it)`,
      );
    case 'EADDRNOTAVAIL':
      throw new UsageError(
        `--host: ${JSON.stringify(host)} is not an address of this machine; allowed: one of its addresses, or leave --host out to listen on all of them`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      throw new UsageError(`--host: ${JSON.stringify(host)} does not resolve to an address; allowed: an IP address or a host name this machine resolves`);
    case 'EACCES':
      return; // checkPort says what to do about a privileged port
    default:
      throw new UsageError(`--host/${option}: cannot listen on ${where} (${error.code ?? error.message})`);
  }
}

/**
 * A port below the kernel's unprivileged start needs root (Apache's `Listen` would fail
 * with EACCES after the start log): say what to do instead.
 *
 * @throws {UsageError} naming --port, with the WHISK_PORT fix
 */
export function checkPort(port: number, uid: number, option = '--port'): void {
  if (uid === 0 || port >= 1024) return;
  let start = 1024;
  try {
    start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8').trim());
  } catch {
    /* keep 1024 */
  }
  if (port < start) {
    throw new UsageError(
      `${option}: ${port} needs root here (this kernel lets non-root users bind ports from ${start} up); allowed: a port from ${start} to 65535, e.g. WHISK_PORT=8080 (docker run -e WHISK_PORT=8080 -p 8000:8080), or run as root with --user root`,
    );
  }
}

/**
 * Apache opens /dev/stderr by name for its ErrorLog, which fails when stderr is a socket (as
 * under some process managers); say so instead of Apache's AH00091. (The access log goes
 * through a piped logger that inherits stdout, so stdout may be anything.)
 *
 * @throws {StepError} stderr is a socket
 */
export function checkErrorLogStream(): void {
  if (fs.fstatSync(2).isSocket()) {
    throw new StepError(
      'stderr is a socket, which Apache cannot open as /dev/stderr for its error log; run whisk with stderr connected to a pipe, a file or a terminal (as docker run does)',
    );
  }
}
