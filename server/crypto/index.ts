export { constantTimeEqual } from './constant-time-equal.js';
export { TOKEN_DIGEST_PATTERN, TOKEN_DIGEST_PREFIX, generateBearerToken, tokenDigest } from './token-digest.js';
