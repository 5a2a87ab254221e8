/** TLS certificates per host and SNI contexts. */
export { loadOrCreateCertificates, createTestCertificate, certificateArgsFromConfig } from './ensure-certificate.js';
export type { CertificateArgs } from './ensure-certificate.js';
export { TlsMaterial } from './tls-material.js';
export type { PemPair } from './tls-material.js';
export { generateSelfSigned } from './self-signed.js';
export { certificateCovers } from './certificate-files.js';
