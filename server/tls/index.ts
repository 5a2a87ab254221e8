/** TLS certificates per host and SNI contexts. */
export { loadOrCreateCertificates, createTestCertificate } from './ensure-certificate.js';
export { TlsMaterial } from './tls-material.js';
export { generateSelfSigned } from './self-signed.js';
export { certificateReloader } from './certificate-reload.js';
export type { CertificateReloader } from './certificate-reload.js';
