/**
 * The network edge: the C2S listener and its connections, connection counting, TLS contexts,
 * outbound HTTP, and the small helpers every HTTP-facing feature shares (URL, header-value and
 * JSON-body checks, percent-encoding, loopback hosts, per-address keys).
 */
export { listenC2s } from './c2s-listener.js';
export type { BoundListener } from './c2s-listener.js';
export { ConnectionCounter } from './connection-counter.js';
export type { TlsContextSource } from './tls-context-source.js';
export { followCertificateChanges } from './tls-context-source.js';
export { OutboundHttpClient, outboundHttpKey } from './outbound-http.js';
export type { OutboundHttp, OutboundObservation, OutboundObserver, OutboundResult } from './outbound-http.js';
export { parseHttpUrl } from './http-url.js';
export { headerValueProblem } from './header-value-problem.js';
export { isJsonObject, parseJsonBody } from './json-body.js';
export { percentEncode } from './percent-encode.js';
export { isLoopbackHost } from './loopback-host.js';
export { addressKey } from './address-key.js';
