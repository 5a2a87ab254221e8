/** Where TLS contexts come from (certificates per host, SNI); implemented by server/tls. */
import type { SecureContext, TlsOptions } from 'node:tls';

export interface TlsContextSource {
  secureContextFor(servername: string | undefined): SecureContext;
  /** The PEM pair a host serves (the default host's when unknown or undefined). */
  pemFor(host: string | undefined): { cert: string; key: string };
  /**
   * Options every server-side TLS socket or listener starts from (Direct TLS, STARTTLS, HTTPS):
   * the default certificate, SNI per host, the minimum version and the trust store.
   */
  serverOptions(): TlsOptions;
}
