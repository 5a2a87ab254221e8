/** What the test helpers need of a started server: its hosts (hook buses) and its sessions. */
import type { Host } from '../host/host.js';
import type { StanzaEventName } from '../hooks/events.js';
import { parseJid, type Jid } from '../jid/index.js';
import type { Router } from '../router/index.js';
import type { SessionLocator } from '../session/index.js';

/** A started server, as `startServer` returns it (`RunningServer` has this shape). */
export interface TestableServer {
  readonly core: {
    readonly hosts: readonly Host[];
    readonly sessions: SessionLocator;
    readonly router: Pick<Router, 'route'>;
  };
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
