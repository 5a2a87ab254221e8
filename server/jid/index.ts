export { Jid, parseJid, parseParts, normaliseLocal, normaliseDomain, normaliseResource } from './jid.js';
export type { JidProblem } from './jid.js';
export { toJid } from './to-jid.js';
