/**
 * The record `whisk start` leaves in the server root (`state.json`) for the commands that
 * find a running server later (`whisk healthcheck`, `whisk reload`; system/state.ts reads
 * it back): the plan produces it, so its shape is here.
 */
import type { CertificateFiles } from './tls.js';

/** What `whisk start` records in `SERVER_ROOT/state.json`. */
export interface State {
  port: number;
  host?: string;
  healthCheckPath?: string;
  /** False for --application-type static and asgi (no mod_wsgi daemon to probe). */
  wsgi: boolean;
  /** True for --application-type asgi: its readiness (/.whisk/ready) is its health. */
  asgi?: boolean;
  /** The server root: Apache's pid file is `httpd.pid` in it. */
  serverRoot: string;
  /** The process name Apache runs under (`apache2`), to tell its pid from a reused one. */
  command: string;
  /** Sent as X-Whisk-Health-Token, so the probe tells this command why it is not ready. */
  healthToken: string;
  /** With --https-port: the certificate files (paths only), which `whisk reload --server` checks before Apache reads them again. */
  tls?: CertificateFiles;
}
