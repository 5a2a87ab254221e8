/** Where TLS contexts come from (certificates per host, SNI); implemented by server/tls. */
import type { SecureContext } from 'node:tls';

export interface TlsContextSource {
  secureContextFor(servername: string | undefined): SecureContext;
  /** The PEM pair served to clients that send no SNI (tls.createServer needs it as key/cert). */
  pemFor(host: string | undefined): { cert: string; key: string };
}
