/**
 * The trust store of every server-side TLS context: empty. Given no `ca`, Node puts its whole
 * root-certificate store into a context, building that store on first use (≈ 40 ms on a small
 * machine, once per process: a large share of a TLS test fixture's start-up). A server that never
 * asks clients for certificates verifies nothing with it. Outbound HTTPS (undici) makes its own
 * contexts, with the roots.
 */
export const SERVER_TRUST = { ca: [] as string[] } as const;
