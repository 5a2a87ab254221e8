export { StanzaError } from './stanza-error.js';
export type { StanzaErrorType, StanzaErrorCondition, StanzaErrorOptions } from './stanza-error.js';
export { StreamError } from './stream-error.js';
export { SaslFailure } from './sasl-failure.js';
export { ok, err } from './result.js';
export type { Result } from './result.js';
