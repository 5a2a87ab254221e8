export type {
  SaslStep, SaslServerSession, SaslContext, SaslOptions, ChannelBindingType,
} from './types.js';
export { offeredMechanisms, SASL_MECHANISMS } from './mechanisms.js';
export type { SaslMechanism, OfferOptions } from './mechanisms.js';
export { startSasl } from './start-sasl.js';
export { decodeBase64Strict } from './sasl-encoding.js';
export { escapeSaslName, unescapeSaslName } from './scram-messages.js';
export { randomText } from './random-pool.js';
