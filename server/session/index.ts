export type { Session, SessionTransport } from './session.js';
export type { SessionLocator } from './session-locator.js';
export { SessionRegistry } from './session-registry.js';
export type { OutboundXml, EncodedXml } from './outbound-xml.js';
export { outboundText } from './outbound-xml.js';
export type { OutgoingStanza, OutputFilter, StanzaShape } from './output-filter.js';
