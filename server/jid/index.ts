export { Jid, parseJid, parseParts, normaliseLocal, normaliseDomain, normaliseResource } from './jid.js';
export type { JidProblem } from './jid.js';
