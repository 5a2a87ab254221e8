export { constantTimeEqual } from './constant-time-equal.js';
