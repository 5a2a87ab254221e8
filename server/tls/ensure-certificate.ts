/**
 * Certificates for every host, before anything listens. For each host, in order: its `ssl`
 * option, `<certificates>/<host>.crt|.key`, then one self-signed certificate shared by every
 * host left (made on first start in the data directory and reused).
 */
import { resolve } from 'node:path';
import {
  configDirectory, coreOptions, coreOptionsFor, type ServerConfig, type SslPaths,
} from '../config/index.js';
import { err, ok, type Result } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { findInDirectory, readPair, type LoadedCertificate } from './certificate-files.js';
import { generateSelfSigned, loadOrGenerateSelfSigned } from './self-signed.js';
import { TlsMaterial, type PemPair } from './tls-material.js';


export interface CertificateArgs {
  /** Host names in config order; the first answers clients that send no SNI. */
  hosts: readonly string[];
  /** The data directory (`data_path`), relative to `cwd`. */
  dataPath: string;
  /** The config file's directory: `certificates` and `ssl` paths are relative to it. */
  configDir: string;
  /** The `certificates` directory option. */
  certificates?: string;
  /** The `ssl` option: one for every host, or looked up per host (host, then global). */
  ssl?: SslPaths | ((host: string) => SslPaths | undefined);
  logger: Logger;
  /** Directory `dataPath` is relative to; default `process.cwd()`. */
  cwd?: string;
}

function sslFor(args: CertificateArgs, host: string): SslPaths | undefined {
  return typeof args.ssl === 'function' ? args.ssl(host) : args.ssl;
}

/** The configured certificate of one host (its `ssl`, then the directory); undefined if none. */
async function configuredCertificate(args: CertificateArgs, host: string): Promise<Result<LoadedCertificate | undefined, string>> {
  const ssl = sslFor(args, host);
  if (ssl !== undefined) {
    const read = await readPair(resolve(args.configDir, ssl.certificate), resolve(args.configDir, ssl.key), host, false);
    return read.ok ? read : err(`host "${host}": ssl: ${read.error}`);
  }
  if (args.certificates === undefined) return ok(undefined);
  const found = await findInDirectory(resolve(args.configDir, args.certificates), host);
  return found.ok ? found : err(`host "${host}": certificates: ${found.error}`);
}

/** The arguments for `loadOrCreateCertificates` that a validated config determines. */
export function certificateArgsFromConfig(config: ServerConfig, cwd: string, logger: Logger): CertificateArgs {
  const core = coreOptions(config);
  return {
    hosts: config.hosts.map((host) => host.name),
    dataPath: core.data_path,
    configDir: configDirectory(config, cwd),
    certificates: core.certificates,
    ssl: (host) => coreOptionsFor(config, host).ssl,
    logger,
    cwd,
  };
}

/** Loads (or makes) a certificate for every host and builds the SNI contexts. */
export async function loadOrCreateCertificates(args: CertificateArgs): Promise<Result<TlsMaterial, string>> {
  const [defaultHost] = args.hosts;
  if (defaultHost === undefined) return err('no host to make a TLS certificate for');
  const pairs = await loadCertificatePairs(args);
  return pairs.ok ? ok(new TlsMaterial(pairs.value, defaultHost)) : pairs;
}

/**
 * The certificate of every host (see the file comment for the order), each checked. `quiet`
 * logs which file serves which host at debug level instead of info (a reload summarises).
 */
export async function loadCertificatePairs(args: CertificateArgs, quiet = false): Promise<Result<Map<string, PemPair>, string>> {
  const log = (fields: Record<string, unknown>): void => (quiet ? args.logger.debug(fields, 'TLS certificate') : args.logger.info(fields, 'TLS certificate'));
  const pairs = new Map<string, PemPair>();
  const uncovered: string[] = [];
  for (const host of args.hosts) {
    const found = await configuredCertificate(args, host);
    if (!found.ok) return found;
    if (found.value === undefined) {
      uncovered.push(host);
      continue;
    }
    if (!found.value.covers) args.logger.warn({ host, certificate: found.value.certificatePath }, 'TLS certificate does not name this host');
    log({ host, certificate: found.value.certificatePath });
    pairs.set(host, { cert: found.value.cert, key: found.value.key });
  }
  if (uncovered.length > 0) {
    const dataPath = resolve(args.cwd ?? process.cwd(), args.dataPath);
    const selfSigned = await loadOrGenerateSelfSigned(dataPath, args.hosts);
    if (!selfSigned.ok) return selfSigned;
    const { certificatePath, generated } = selfSigned.value;
    for (const host of uncovered) {
      log({ host, certificate: certificatePath, selfSigned: true, generated });
      pairs.set(host, { cert: selfSigned.value.cert, key: selfSigned.value.key });
    }
  }
  return ok(pairs);
}

/** One certificate per set of hosts per process: key generation is paid once per test run. */
const testCertificates = new Map<string, Promise<PemPair>>();

/** Self-signed material for tests, kept in memory and cached per process. */
export async function createTestCertificate(hosts: readonly string[]): Promise<TlsMaterial> {
  const names = hosts.length === 0 ? ['localhost'] : [...hosts];
  const key = [...names].sort().join(' ');
  let pending = testCertificates.get(key);
  if (pending === undefined) {
    pending = generateSelfSigned(names);
    testCertificates.set(key, pending);
  }
  const pair = await pending;
  return new TlsMaterial(new Map(names.map((host) => [host, pair])), names[0] ?? 'localhost');
}
