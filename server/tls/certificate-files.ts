/**
 * Reading certificates from disk: explicit `ssl` paths, or `<certificates>/<host>.crt|.key`
 * (and Let's Encrypt's `<host>/fullchain.pem|privkey.pem`), checked before anything listens.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { err, ok, type Result } from '../errors/index.js';
import type { PemPair } from './tls-material.js';
import { SERVER_TRUST } from './server-trust.js';

/** A certificate found on disk, with where it came from (for the log). */
export interface LoadedCertificate extends PemPair {
  certificatePath: string;
  /** Whether the certificate names the host it was loaded for (a mismatch is worth a warning). */
  covers: boolean;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Checked structurally: `instanceof Error` fails for errors made in another realm (vm contexts). */
function isMissing(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === 'ENOENT' || error.code === 'ENOTDIR';
}

/** Whether a certificate names `host` (SAN DNS, wildcards, or an IP literal in brackets). */
export function certificateCovers(cert: X509Certificate, host: string): boolean {
  if (host.startsWith('[') && host.endsWith(']')) return cert.checkIP(host.slice(1, -1)) !== undefined;
  return cert.checkHost(host) !== undefined;
}

/** Checks that a pair parses, matches, and can make a TLS context. */
export function checkPair(pair: PemPair): Result<X509Certificate, string> {
  try {
    const cert = new X509Certificate(pair.cert);
    if (!cert.checkPrivateKey(createPrivateKey(pair.key))) return err('the private key does not match the certificate');
    createSecureContext({ cert: pair.cert, key: pair.key, ...SERVER_TRUST });
    return ok(cert);
  } catch (error) {
    return err(reason(error));
  }
}

/** Reads and checks a pair; undefined when either file is missing and `optional` is set. */
export async function readPair(
  certificatePath: string,
  keyPath: string,
  host: string,
  optional: boolean,
): Promise<Result<LoadedCertificate | undefined, string>> {
  let pair: PemPair;
  try {
    const [cert, key] = await Promise.all([readFile(certificatePath, 'utf8'), readFile(keyPath, 'utf8')]);
    pair = { cert, key };
  } catch (error) {
    if (optional && isMissing(error)) return ok(undefined);
    return err(`cannot read ${certificatePath} / ${keyPath}: ${reason(error)}`);
  }
  const checked = checkPair(pair);
  if (!checked.ok) return err(`unusable certificate ${certificatePath}: ${checked.error}`);
  return ok({ ...pair, certificatePath, covers: certificateCovers(checked.value, host) });
}

/** Names whose files may hold `host`'s certificate: itself, then its parent domains (not the TLD). */
function candidateNames(host: string): string[] {
  const labels = host.split('.');
  const names = [host];
  for (let i = 1; i < labels.length - 1; i++) names.push(labels.slice(i).join('.'));
  return names;
}

/**
 * Looks `host` up in the certificates directory. The host's own files are used as they are
 * (as Prosody does); a parent domain's files only when their certificate covers the host.
 */
export async function findInDirectory(directory: string, host: string): Promise<Result<LoadedCertificate | undefined, string>> {
  for (const name of candidateNames(host)) {
    const layouts: Array<[string, string]> = [
      [join(directory, `${name}.crt`), join(directory, `${name}.key`)],
      [join(directory, name, 'fullchain.pem'), join(directory, name, 'privkey.pem')],
    ];
    for (const [certificatePath, keyPath] of layouts) {
      const found = await readPair(certificatePath, keyPath, host, true);
      if (!found.ok) return found;
      if (found.value !== undefined && (name === host || found.value.covers)) return found;
    }
  }
  return ok(undefined);
}
