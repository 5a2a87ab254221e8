export type {
  SaslStep, SaslFailureCause, SaslServerSession, SaslContext, SaslOptions, ChannelBindingType,
} from './types.js';
export { offeredMechanisms, SASL_MECHANISMS } from './mechanisms.js';
export type { SaslMechanism, OfferOptions } from './mechanisms.js';
export { startSasl } from './start-sasl.js';
export { decodeBase64Strict } from './sasl-encoding.js';
export { escapeSaslName, unescapeSaslName } from './scram-messages.js';
export { randomText } from './random-pool.js';
export { DecoyProfile, DECOY_STORE } from './decoy-profile.js';
export type { DecoyProfileOptions } from './decoy-profile.js';
