/**
 * Test helpers for suites that run Salon as a fixture (`import … from 'salon/testing'`): watch
 * what the server delivers (routed, or a room's fan-out), wait for a stanza, and inject faults.
 * They work on any started server through its hooks and sessions; nothing is patched.
 */
export { StanzaTap, tapStanzas, waitForStanza } from './stanza-tap.js';
export type { CapturedStanza, StanzaPredicate, StanzaTapOptions, WaitOptions } from './stanza-tap.js';
export { dropSession } from './drop-session.js';
export type { DropOptions } from './drop-session.js';
export { delayDelivery } from './delay-delivery.js';
export type { Fault } from './delay-delivery.js';
export type { TestableServer } from './testable-server.js';
