/**
 * Certificates read again on a config reload (`salon reload`, SIGHUP): the same search as at
 * start-up (`ensure-certificate.ts`) with the new config, then swapped into the running
 * `TlsMaterial`, so a renewed certificate (certbot, an ACME client) is served without a restart.
 */
import { configDirectory, coreOptions, coreOptionsFor, resolvedDataPath, type ServerConfig } from '../config/index.js';
import { err, ok, type Result } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { loadCertificatePairs } from './ensure-certificate.js';
import type { TlsMaterial } from './tls-material.js';

/** Re-reads every host's certificate for `config`; resolves to the hosts whose certificate changed. */
export type CertificateReloader = (config: ServerConfig) => Promise<Result<string[], string>>;

/** A reloader for material first loaded from a config with `loadOrCreateCertificates`. */
export function certificateReloader(material: TlsMaterial, cwd: string, logger: Logger): CertificateReloader {
  return async (config) => {
    const pairs = await loadCertificatePairs({
      hosts: config.hosts.map((host) => host.name),
      dataPath: resolvedDataPath(config, cwd),
      configDir: configDirectory(config, cwd),
      certificates: coreOptions(config).certificates,
      ssl: (host) => coreOptionsFor(config, host).ssl,
      logger,
      cwd,
    }, true);
    if (!pairs.ok) return pairs;
    try {
      return ok(material.replaceCertificates(pairs.value));
    } catch (error) {
      return err(error instanceof Error ? error.message : String(error));
    }
  };
}
