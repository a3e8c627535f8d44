/**
 * HTTPS with the user's certificate: `--https-port` and mod_wsgi-express's `--ssl-*` options
 * → a TLS virtual host (mod_ssl) beside the plain port. Pure; the files themselves are
 * checked by system/tls.ts before anything starts.
 *
 * The main server keeps serving plain HTTP on `--port`; `<VirtualHost *:HTTPS-PORT>`
 * inherits every per-directory setting of it (static files, the application, probes, proxy
 * trust) and adds TLS: TLS 1.2 and 1.3 only with the ECDHE suites of Mozilla's
 * "intermediate" configuration (https://ssl-config.mozilla.org/), the client's cipher
 * preference (all of them are strong), no session tickets (their key would live for the
 * server's whole life), a shared session cache (mod_socache_shmcb).
 */
import net from 'node:net';
import path from 'node:path';
import type { Options } from '../../options/table.js';
import { listenArg } from '../../address.js';
import { certificateOptions } from './combinations.js';
import type { PlanContext } from './context.js';
import { tlsProtocols } from './http2.js';

/** Mozilla's "intermediate" TLS 1.2 suites, forward secret and AEAD (TLS 1.3's are OpenSSL's defaults). */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * `--acme-email`: the certificate obtained and renewed by mod_md
 * (https://httpd.apache.org/docs/2.4/mod/mod_md.html) instead of read from files.
 */
export interface AcmeView {
  /** `MDContactEmail`. */
  email: string;
  /** `MDCertificateAuthority`: the ACME directory URL. */
  ca: string;
  /** `MDCACertificateFile`: trusted for the CA's own HTTPS. */
  caCertificateFile?: string;
  /** `MDCAChallenges`. */
  challenge: 'http-01' | 'tls-alpn-01';
  /** tls-alpn-01: the HTTPS port offers the `acme-tls/1` protocol (`Protocols`). */
  tlsAlpn: boolean;
  /** `MDStoreDir`. */
  store: string;
  /** `MDomain`'s names: `--server-name`, then each `--server-alias`. */
  names: string[];
  /** The certificate mod_md serves once it has one (STORE/domains/NAME/pubcert.pem): --https-only redirects only when it exists. */
  certificate: string;
  /** `MDMessageCmd`: `/bin/sh SERVER_ROOT/acme-message` (render.ts writes the script). */
  messageScript: string;
}

/** What httpd.conf needs for HTTPS; absent without `--https-port`. */
export interface TlsView {
  /** `Listen` argument of the HTTPS port. */
  listen: string;
  port: number;
  /** `--ssl-certificate-file` (or `--ssl-certificate`'s PREFIX.crt); absent with --acme-email. */
  certificateFile?: string;
  keyFile?: string;
  chainFile?: string;
  acme?: AcmeView;
  /** `--ssl-ca-certificate-file`, with the paths that need a client certificate (`/` for all). */
  clientAuth?: { caFile: string; paths: string[] };
  serverName?: string;
  serverAliases: string[];
  /** `--https-only`: the plain port redirects, except /.whisk/. */
  httpsOnly: boolean;
  /**
   * The redirect's target: `https://HOST[:PORT]%1`, HOST `--server-name` or else the
   * request's, `%1` the path as the client sent it.
   */
  redirectTarget: string;
  hstsPolicy?: string;
  sslEnvironment: boolean;
  ciphers: string;
  /** `SSLSessionCache`: shared memory, named by a file in the server root (512 KB). */
  sessionCache: string;
  /** The virtual host's `Protocols`, when not Apache's default (http2.ts's tlsProtocols). */
  protocols?: { list: string[] };
}

/**
 * Builds the HTTPS settings. The options are taken as combining (combinations.ts checked
 * them first): a certificate and key, or `--acme-email` with a server name.
 *
 * @returns undefined without `--https-port`
 */
export function tlsView(ctx: PlanContext): TlsView | undefined {
  const { options, paths, host } = ctx;
  const port = options['https-port'];
  if (port === undefined) return undefined;
  const abs = (p: string) => path.resolve(ctx.app.root, p);
  const { certificateFile, keyFile } = certificateOptions(options);
  const email = options['acme-email'];
  const serverName = options['server-name'];
  const ca = options['ssl-ca-certificate-file'];
  const verify = options['ssl-verify-client'];
  return {
    listen: listenArg(host, port),
    port,
    certificateFile: certificateFile && abs(certificateFile),
    keyFile: keyFile && abs(keyFile),
    chainFile: options['ssl-certificate-chain-file'] && abs(options['ssl-certificate-chain-file']),
    acme: email && serverName ? acmeView(options, email, serverName, paths.acmeMessageScript, abs) : undefined,
    clientAuth: ca ? { caFile: abs(ca), paths: verify.length ? [...verify].sort().reverse() : ['/'] } : undefined,
    serverName,
    serverAliases: options['server-alias'],
    httpsOnly: options['https-only'],
    redirectTarget: `https://${serverName ? (net.isIPv6(serverName) ? `[${serverName}]` : serverName) : '%{SERVER_NAME}'}${port === 443 ? '' : `:${port}`}%1`,
    hstsPolicy: options['hsts-policy'],
    sslEnvironment: options['ssl-environment'],
    ciphers: TLS12_CIPHERS,
    sessionCache: `shmcb:${paths.sslSessionCache}(512000)`,
    protocols: listOf(tlsProtocols(options.http2, email !== undefined && options['acme-challenge'] === 'tls-alpn-01')),
  };
}

/** `list` as the template's section object, or undefined. */
function listOf(list: string[] | undefined): { list: string[] } | undefined {
  return list && { list };
}

/** The mod_md settings of {@link AcmeView}. */
function acmeView(options: Options, email: string, serverName: string, messageScript: string, abs: (p: string) => string): AcmeView {
  const store = options['acme-store'];
  return {
    email,
    ca: options['acme-ca'],
    caCertificateFile: options['acme-ca-certificate-file'] && abs(options['acme-ca-certificate-file']),
    challenge: options['acme-challenge'] as AcmeView['challenge'],
    tlsAlpn: options['acme-challenge'] === 'tls-alpn-01',
    store,
    names: [serverName, ...options['server-alias'].filter((a) => a !== serverName)],
    certificate: path.join(store, 'domains', serverName, 'pubcert.pem'),
    messageScript,
  };
}

/** The files {@link checkCertificates} reads: those of {@link TlsView}, also kept in the state file for `whisk reload --server`. */
export interface CertificateFiles {
  certificateFile: string;
  keyFile: string;
  chainFile?: string;
  clientAuth?: TlsView['clientAuth'];
}

/** The certificate files of the HTTPS settings, or undefined when mod_md obtains the certificate (--acme-email). */
export function certificateFiles(tls: TlsView): CertificateFiles | undefined {
  const { certificateFile, keyFile, chainFile, clientAuth } = tls;
  return certificateFile && keyFile ? { certificateFile, keyFile, chainFile, clientAuth } : undefined;
}
