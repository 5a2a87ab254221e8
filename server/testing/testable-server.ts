/** What the test helpers need of a started server: its hosts (hook buses), sessions and router. */
import { coreOf, type ServerCore } from '../core/index.js';
import type { StanzaEventName } from '../hooks/index.js';
import { parseJid, type Jid } from '../jid/index.js';

/**
 * A started server, as `startServer` returns it (`RunningServer` has this shape). The helpers
 * reach its hosts, sessions and router through `coreOf`, so the package's types name none of them.
 */
export interface TestableServer {
  /** The first VirtualHost. */
  readonly domain: string;
}

/** The core behind a server `startServer` returned; a TypeError for any other object. */
export function coreOfServer(server: TestableServer): Pick<ServerCore, 'hosts' | 'sessions' | 'router'> {
  return coreOf(server);
}

/** The router's generic stanza events, fired on the host named by `to` (DESIGN.md §1). */
export const STANZA_EVENTS: readonly StanzaEventName[] = (['message', 'presence', 'iq'] as const)
  .flatMap((kind) => (['host', 'bare', 'full'] as const).map((address): StanzaEventName => `${kind}/${address}`));

/** Parses a JID argument; a wrong one is a bug in the calling test, so it throws. */
export function jidArgument(text: string, what: string): Jid {
  const parsed = parseJid(text);
  if (!parsed.ok) throw new TypeError(`${what}: "${text}" is not a valid JID (${parsed.error})`);
  return parsed.value;
}

/** A bare JID matches itself and every resource of it; a full JID only itself. */
export function jidMatches(pattern: Jid, candidate: Jid): boolean {
  return pattern.isBare ? candidate.bare().equals(pattern) : candidate.equals(pattern);
}
