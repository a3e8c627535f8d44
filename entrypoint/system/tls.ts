/**
 * The certificate files of `--https-port`, checked before anything starts (exit 2, naming
 * the file and what is wrong), so Apache never starts half configured or fails later with
 * an OpenSSL error: readable, PEM, the key not encrypted and matching the certificate, the
 * certificate valid now, the chain in order. Node's crypto (OpenSSL) parses them; no key
 * material ever reaches a message.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { UsageError } from '../errors.js';
import type { CertificateFiles } from '../plan/config/tls.js';

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function read(file: string, option: string): string {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'EACCES'
          ? `cannot be read by uid ${process.getuid?.()} (permission denied)`
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot be read (${code})`;
    throw new UsageError(
      `${option} ${file}: ${why}; allowed: a readable PEM file (a Docker or Kubernetes secret mounted read-only, readable by the container's user)`,
    );
  }
}

/** The certificates of a PEM file, in order. */
function certificates(file: string, option: string): crypto.X509Certificate[] {
  const blocks = read(file, option).match(PEM_CERT) ?? [];
  if (blocks.length === 0) throw new UsageError(`${option} ${file}: no PEM certificate in it; allowed: a file of -----BEGIN CERTIFICATE----- blocks`);
  return blocks.map((b, i) => {
    try {
      return new crypto.X509Certificate(b);
    } catch {
      throw new UsageError(`${option} ${file}: certificate ${i + 1} cannot be parsed; allowed: PEM certificates`);
    }
  });
}

/**
 * Checks the files of {@link TlsView}.
 *
 * @param now the time certificates must be valid at (tests)
 * @throws {UsageError} a file that is missing or unreadable, no certificate or key in it, an
 *   encrypted key (Apache would ask for a passphrase on a terminal there is none of), a key
 *   of another certificate, a certificate not valid at `now`, a chain out of order
 */
export function checkCertificates(tls: CertificateFiles, now = new Date()): void {
  const chain = certificates(tls.certificateFile, '--ssl-certificate-file');
  if (tls.chainFile) chain.push(...certificates(tls.chainFile, '--ssl-certificate-chain-file'));
  let key: crypto.KeyObject;
  const keyText = read(tls.keyFile, '--ssl-certificate-key-file');
  if (/ENCRYPTED/.test(keyText))
    throw new UsageError(
      `--ssl-certificate-key-file ${tls.keyFile}: the key is encrypted; allowed: a key without a passphrase (openssl pkey -in KEY -out PLAIN-KEY), kept as a secret`,
    );
  try {
    key = crypto.createPrivateKey({ key: keyText, format: 'pem' });
  } catch {
    throw new UsageError(
      `--ssl-certificate-key-file ${tls.keyFile}: no PEM private key in it; allowed: a PEM private key (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY)`,
    );
  }
  const [leaf] = chain;
  if (!leaf.checkPrivateKey(key))
    throw new UsageError(
      `--ssl-certificate-key-file ${tls.keyFile}: this key is not the one of the certificate in ${tls.certificateFile} (${leaf.subject.replace(/\n/g, ', ')}); allowed: the private key the certificate was issued for`,
    );
  for (const [i, c] of chain.entries()) {
    const where = i === 0 ? `--ssl-certificate-file ${tls.certificateFile}` : `certificate ${i + 1} of the chain`;
    if (new Date(c.validTo) < now)
      throw new UsageError(
        `${where}: the certificate (${c.subject.replace(/\n/g, ', ')}) expired on ${new Date(c.validTo).toISOString()}; allowed: a certificate valid now`,
      );
    if (new Date(c.validFrom) > now)
      throw new UsageError(
        `${where}: the certificate (${c.subject.replace(/\n/g, ', ')}) is not valid before ${new Date(c.validFrom).toISOString()}; allowed: a certificate valid now`,
      );
    if (i > 0 && !chain[i - 1].checkIssued(c)) {
      throw new UsageError(
        `${where}: it did not issue certificate ${i} (${chain[i - 1].subject.replace(/\n/g, ', ')}): the chain is out of order; allowed: the server certificate first, then each certificate followed by the one that issued it`,
      );
    }
  }
  if (tls.clientAuth) certificates(tls.clientAuth.caFile, '--ssl-ca-certificate-file');
}
