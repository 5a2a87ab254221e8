/** XEP-0359 stanza ids, stamped by archives (user archives in im/mam/). */
export { stampStanzaId, stripStanzaIds } from './stanza-id.js';
