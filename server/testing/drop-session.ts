/** Fault injection: cut a client's connection as a network failure would. */
import type { Session } from '../session/index.js';
import { coreOfServer, jidArgument, type TestableServer } from './testable-server.js';

export interface DropOptions {
  /** How long to wait for the sessions to end; default 5 000 ms. */
  readonly timeoutMs?: number;
  /**
   * A session whose client enabled resumption (XEP-0198) hibernates after a real network failure:
   * it stays bound, keeping its presence, until the client resumes it or it expires. With
   * `resumable: true` such a session is left hibernating (resolved once it hibernated); by default
   * it is ended at once, so that contacts and rooms are told whatever the client enabled.
   */
  readonly resumable?: boolean;
}

function sessionsOf(server: TestableServer, address: string): Session[] {
  const jid = jidArgument(address, 'dropSession');
  if (!jid.isBare) {
    const session = coreOfServer(server).sessions.get(jid);
    return session === undefined ? [] : [session];
  }
  return [...coreOfServer(server).sessions.ofAccount(jid)];
}

/**
 * Resolves once none of `sessions` is bound any more (each leaves with `resource-unbind`); with
 * `resumable`, a session that hibernates (XEP-0198) counts as gone too.
 */
function untilEnded(server: TestableServer, sessions: readonly Session[], timeoutMs: number, resumable: boolean): Promise<void> {
  const open = new Set(sessions.filter((session) => !session.closed));
  if (open.size === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const removers: Array<() => void> = [];
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      for (const remove of removers) remove();
      if (error === undefined) resolve();
      else reject(error);
    };
    const timer = setTimeout(() => finish(new Error(`dropSession: sessions still bound after ${timeoutMs} ms`)), timeoutMs);
    for (const host of coreOfServer(server).hosts) {
      removers.push(host.hooks.on('resource-unbind', ({ session }) => {
        open.delete(session);
        if (open.size === 0) finish();
      }));
      removers.push(host.hooks.on('session-hibernated', ({ session }) => {
        if (!open.has(session)) return;
        if (!resumable) return session.close(); // ends it: `resource-unbind` follows
        open.delete(session);
        if (open.size === 0) finish();
      }));
    }
  });
}

/**
 * Drops the connection of the session bound to a full JID, or of every session of a bare JID,
 * without a closing tag or stream error: the client sees its connection reset. Resolves with the
 * number of sessions dropped once the server has ended them (contacts and rooms have been told,
 * as after a real network failure), or, with `resumable`, hibernated them (see `DropOptions`).
 */
export async function dropSession(server: TestableServer, jid: string, options: DropOptions = {}): Promise<number> {
  const sessions = sessionsOf(server, jid);
  const ended = untilEnded(server, sessions, options.timeoutMs ?? 5_000, options.resumable === true);
  for (const session of sessions) {
    // Every client transport can be cut; a session type that cannot still ends, with a clean close.
    if (session.abort !== undefined) session.abort();
    else session.close();
  }
  await ended;
  return sessions.length;
}
