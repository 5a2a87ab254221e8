/** The bench servers' TLS certificate: self-signed EC P-256 for the bench domain and its MUC service, like the one Salon makes for itself. */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BENCH_DOMAIN, BENCH_MUC_DOMAIN } from './bench-protocol.js';

const run = promisify(execFile);

export interface CertificateFiles {
  certificate: string;
  key: string;
}

/** Where `writeSelfSignedCertificate(dir)` puts its files: `<dir>/certs/localhost.{crt,key}`. */
export function certificateFiles(dir: string): CertificateFiles {
  const base = join(dir, 'certs', BENCH_DOMAIN);
  return { certificate: `${base}.crt`, key: `${base}.key` };
}

/** Makes the certificate and its key with openssl, valid 30 days. */
export async function writeSelfSignedCertificate(dir: string): Promise<CertificateFiles> {
  const files = certificateFiles(dir);
  await mkdir(join(dir, 'certs'), { recursive: true });
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '30',
    '-subj', `/CN=${BENCH_DOMAIN}`, '-addext', `subjectAltName=DNS:${BENCH_DOMAIN},DNS:${BENCH_MUC_DOMAIN}`,
    '-keyout', files.key, '-out', files.certificate,
  ]);
  return files;
}
