/**
 * Shared parts of the input-queue tests: a roster-admin server whose backend holds the roster
 * fetch (so the client's stream is busy and later input waits), padded pings whose answers are
 * small, and the server's debug lines about the queue.
 */
import { RosterBackend } from './roster-admin-backend.js';
import { DOMAIN, JOHN_ROSTER, startRosterAdminServer } from './roster-admin-xmpp.js';
import type { TestServer } from './test-server.js';

export const PAUSED = 'input queue full: reading paused';
export const RESUMED = 'input queue drained: reading resumed';

/** A ping to the server whose `<pad/>` makes it about `padding` bytes larger; the answer is small. */
export function paddedPing(id: string, padding: number): string {
  return `<iq xmlns='jabber:client' type='get' id='${id}' to='${DOMAIN}'><ping xmlns='urn:xmpp:ping'><pad>${'x'.repeat(padding)}</pad></ping></iq>`;
}

/** The roster get the gated backend holds back. */
export const ROSTER_GET = "<iq xmlns='jabber:client' type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>";

/** A roster backend that knows john and holds its answers until released, and a server using it. */
export async function slowRosterServer(globals: Record<string, unknown>): Promise<{ backend: RosterBackend; server: TestServer }> {
  const backend = await RosterBackend.start();
  backend.rosters.set('john', JOHN_ROSTER);
  backend.gate();
  const server = await startRosterAdminServer(backend, { globals });
  return { backend, server };
}


export function linesWith(target: TestServer, message: string): Record<string, unknown>[] {
  return target.logs.filter((line) => line.msg === message);
}

export { waitForLog } from './wait-for-log.js';
