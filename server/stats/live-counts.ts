/**
 * Open connections and bound sessions, worked out from what is live rather than counted up and
 * down: a stream the core tracks is an open connection of its transport; a session whose output is
 * one of those streams is bound over that transport; any other bound session is hibernated
 * (XEP-0198: its connection is gone, it waits to be resumed).
 */
import { zeroTransportCounts, type Transport, type TransportCounts } from './server-stats.js';

/** Bound sessions of one host, by transport, plus those hibernated. */
export type SessionCounts = TransportCounts & { hibernated: number };

export interface LiveCounts {
  /** Open client connections by transport. */
  readonly connections: TransportCounts;
  /** Host name → its bound sessions. */
  readonly sessions: ReadonlyMap<string, SessionCounts>;
}

/** What `countLive` reads of a stream: the session bound on it, if any. */
export interface LiveStream {
  readonly session: { readonly jid: { readonly domain: string }; readonly output: unknown } | undefined;
}

/** What `countLive` reads of a bound session. */
export interface LiveSession {
  readonly jid: { readonly domain: string };
}

/** Adds one to a transport's count (a switch: a keyed `counts[transport]++` is several times slower). */
function countOne(counts: TransportCounts, transport: Transport): void {
  switch (transport) {
    case 'tcp': counts.tcp++; break;
    case 'direct_tls': counts.direct_tls++; break;
    case 'websocket': counts.websocket++; break;
    case 'bosh': counts.bosh++; break;
  }
}

/** Per-host counts, with the last host looked up kept: sessions come grouped by host. */
class HostCounts {
  readonly byHost = new Map<string, SessionCounts>();
  #lastHost: string | undefined;
  #last: SessionCounts | undefined;

  of(host: string): SessionCounts {
    if (host === this.#lastHost && this.#last !== undefined) return this.#last;
    let counts = this.byHost.get(host);
    if (counts === undefined) {
      counts = { ...zeroTransportCounts(), hibernated: 0 };
      this.byHost.set(host, counts);
    }
    this.#lastHost = host;
    this.#last = counts;
    return counts;
  }
}

export function countLive(streams: Iterable<readonly [LiveStream, Transport]>, sessions: Iterable<LiveSession>): LiveCounts {
  const connections = zeroTransportCounts();
  const hosts = new HostCounts();
  // Every bound session starts as hibernated; those found on an open stream below move to its transport.
  for (const session of sessions) hosts.of(session.jid.domain).hibernated++;
  for (const [stream, transport] of streams) {
    countOne(connections, transport);
    const session = stream.session;
    // A resumed session's old stream still names it until it closes: only its current output counts.
    if (session === undefined || session.output !== stream) continue;
    const counts = hosts.of(session.jid.domain);
    countOne(counts, transport);
    counts.hibernated--;
  }
  return { connections, sessions: hosts.byHost };
}
