export type {
  AccountStore, AccountRecord, AccountProblem, ScramCredentials, ScramHash,
} from './account-store.js';
export { openAccountStore, ACCOUNTS_STORE } from './stored-account-store.js';
export type { AccountStoreOptions } from './stored-account-store.js';
export {
  DEFAULT_SCRAM_ITERATIONS, SCRAM_HASHES, SCRAM_SALT_BYTES, deriveScramCredentials, digest, hashLength, hmac,
  saltPassword, scramKeys,
} from './scram-keys.js';
export type { DeriveOptions } from './scram-keys.js';
export { prepareSaslString } from './saslprep.js';
export { IterationCensus, CENSUS_SAMPLE, CENSUS_MAX_AGE_MS } from './iteration-census.js';
export type { CensusSource } from './iteration-census.js';
export type { SaslprepOptions } from './saslprep.js';
