export type { AccountStore, AccountProblem, ScramHash } from './account-store.js';
export { openAccountStore, ACCOUNTS_STORE } from './stored-account-store.js';
export { DEFAULT_SCRAM_ITERATIONS, SCRAM_SALT_BYTES, digest, hashLength, hmac } from './scram-keys.js';
export { prepareSaslString } from './saslprep.js';
