/**
 * The self-signed certificate made on first start (DESIGN.md §2) in `<data>/certs/`, naming every
 * configured host and `localhost`; reused while it still names them all and is not about to expire.
 */
import { X509Certificate } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result } from '../errors/index.js';
import { certificateCovers, readPair } from './certificate-files.js';
import type { PemPair } from './tls-material.js';

const VALIDITY_DAYS = 365;
/** Regenerate when fewer days than this remain, so a restart never serves an expired certificate. */
const RENEW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface SelfSignedCertificate extends PemPair {
  certificatePath: string;
  generated: boolean;
}

/** Host names for the SAN: every host plus `localhost`, without duplicates. */
function sanNames(hosts: readonly string[]): string[] {
  return [...new Set([...hosts, 'localhost'])];
}

/** A fresh certificate: EC P-256, ECDSA with SHA-256, valid one year, SAN for every name. */
export async function generateSelfSigned(hosts: readonly string[]): Promise<PemPair> {
  // Loaded only when a certificate is made: starting with an existing one never pays for it.
  const { generate } = await import('selfsigned');
  const names = sanNames(hosts);
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + VALIDITY_DAYS * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: names.map((name) => (name.startsWith('[') ? { type: 7, ip: name.slice(1, -1) } : { type: 2, value: name })),
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

function stillUsable(pem: string, hosts: readonly string[]): boolean {
  const cert = new X509Certificate(pem);
  const remaining = Date.parse(cert.validTo) - Date.now();
  return remaining > RENEW_DAYS * DAY_MS && sanNames(hosts).every((host) => certificateCovers(cert, host));
}

/** Writes through a temporary file and a rename, so a crash never leaves half a PEM. */
async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, path);
}

/** Reuses `<dataPath>/certs/salon-selfsigned.{crt,key}` when it still fits, else makes a new one. */
export async function loadOrGenerateSelfSigned(dataPath: string, hosts: readonly string[]): Promise<Result<SelfSignedCertificate, string>> {
  const directory = join(dataPath, 'certs');
  const certificatePath = join(directory, 'salon-selfsigned.crt');
  const keyPath = join(directory, 'salon-selfsigned.key');
  const existing = await readPair(certificatePath, keyPath, 'localhost', true);
  // An unreadable or mismatched pair is replaced, like one that no longer names every host.
  if (existing.ok && existing.value !== undefined && stillUsable(existing.value.cert, hosts)) {
    return ok({ cert: existing.value.cert, key: existing.value.key, certificatePath, generated: false });
  }
  try {
    const pair = await generateSelfSigned(hosts);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    await writeAtomically(keyPath, pair.key, 0o600);
    await writeAtomically(certificatePath, pair.cert, 0o644);
    return ok({ ...pair, certificatePath, generated: true });
  } catch (error) {
    return err(`cannot create a self-signed certificate in ${directory}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
