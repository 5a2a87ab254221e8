/** Where TLS contexts come from (certificates per host, SNI); implemented by server/tls. */
import type { SecureContext, Server as TlsServer, TlsOptions } from 'node:tls';

export interface TlsContextSource {
  secureContextFor(servername: string | undefined): SecureContext;
  /** The PEM pair a host serves (the default host's when unknown or undefined). */
  pemFor(host: string | undefined): { cert: string; key: string };
  /**
   * Options every server-side TLS socket or listener starts from (Direct TLS, STARTTLS, HTTPS):
   * the default certificate, SNI per host, the minimum version and the trust store.
   */
  serverOptions(): TlsOptions;
  /**
   * Calls `listener` after the certificates were replaced (a config reload); returns the function
   * that stops calling it. Absent: the certificates never change.
   */
  onReplaced?(listener: () => void): () => void;
}

/**
 * Keeps a TLS listener's own default context (used for clients that send no SNI; SNI clients get
 * `secureContextFor` at each handshake) in step with reloaded certificates. Connections already
 * made keep theirs. Returns the function that stops following (call it when the listener closes).
 */
export function followCertificateChanges(server: TlsServer, source: TlsContextSource, extra: TlsOptions = {}): () => void {
  return source.onReplaced?.(() => server.setSecureContext({ ...source.serverOptions(), ...extra })) ?? (() => undefined);
}
