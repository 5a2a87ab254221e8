export type { SaslStep, SaslFailureCause, SaslServerSession } from './types.js';
export { offeredMechanisms } from './mechanisms.js';
export { startSasl } from './start-sasl.js';
export { decodeBase64Strict } from './sasl-encoding.js';
export { randomText } from './random-pool.js';
export { DecoyProfile, DECOY_STORE } from './decoy-profile.js';
