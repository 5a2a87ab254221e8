/**
 * Puts messages into users' archives (XEP-0313 §5.1.1) and stamps their XEP-0359 stanza ids.
 *
 * Incoming (the recipient's host, `message/bare` and `message/full`): any `<stanza-id/>` that
 * claims to come from the recipient's archive is removed first (XEP-0359 §3.3, whatever happens
 * next), then a message worth keeping goes into the recipient's archive when the account exists
 * and its prefs allow, and is stamped with `<stanza-id by='user@host'/>` before delivery: the
 * delivered message, its carbons and its offline copy all carry it. A message a service writes
 * straight to the account's sessions (a MUC private message) passes the same way once, on
 * `deliver-message`, `with` the sender's occupant JID; every copy carries the one id.
 *
 * Outgoing (`pre-stanza` on the sender's host): the sender's own archive keeps what they send,
 * `with` the recipient. As Prosody does, the stanza carries the sender's stanza id while the
 * other `pre-stanza` handlers run (so the sender's other devices learn it through `<sent/>`
 * carbons) and loses it before it is routed (`stripBeforeRouting`).
 *
 * A message is delivered (and its sender's stream moves on) only once the archives that keep it
 * have committed it: it survives `kill -9` of the server, and the disk sync follows off the
 * storage engine's writer lock, waited for by no message. The sender's write starts on
 * `pre-stanza` and the recipient's side waits for it together with its own, so the two writes
 * overlap instead of following each other (and share a commit with the other senders' writes of
 * the same event-loop turn). (A message to a JID this server does not serve has no recipient side:
 * its sender's write is not waited for.)
 *
 * Once a message's writes are asked for, all it waits for is commits: the recipient's side then
 * releases the sender's stream (`releaseInput`), which goes on with its next messages, whose
 * writes join the same commits, and waits before delivery for the stream's earlier stanzas too.
 * So a client with k messages in flight waits for about one commit, not k in a row, and its
 * messages are still delivered in the order it sent them. The module registers its host as one
 * that orders deliveries so (`orderDeliveries`): every message to an account passes `incoming`,
 * which releases and waits for the answer, the messages it does not archive included.
 */
import { clone, type Element } from 'ltx';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { Logger } from '../../server/log/index.js';
import type { Session } from '../../server/session/index.js';
import { newArchiveId, type ArchiveStore } from '../../server/storage/index.js';
import { releaseInput } from '../../server/stream/index.js';
import { NS, serializeElement } from '../../server/xml/index.js';
import { stampStanzaId, stripStanzaIds } from '../stanza-id/index.js';
import { ruleFor, type ArchivePrefs } from './archive-prefs.js';
import { shouldArchive } from './archiving-policy.js';
import type { PrefsStore } from './prefs-store.js';

const CHAT_STATES = 'http://jabber.org/protocol/chatstates';

export interface UserArchiverDeps {
  readonly store: ArchiveStore;
  readonly prefs: PrefsStore;
  /** Whether the account exists (a message to a JID nobody holds is not archived). */
  readonly accountExists: (user: Jid) => boolean | Promise<boolean>;
  /** Whether `contact` (a bare JID) is in the user's roster; for the `roster` preference. */
  readonly inRoster: (user: Jid, contact: Jid) => Promise<boolean>;
  readonly logger: Logger;
}

type Outcome = undefined | Promise<undefined>;

/**
 * Writes to senders' archives still in flight, by message (see `incoming`). Shared by every
 * host's archiver: the sender's host and the recipient's may be two VirtualHosts.
 */
const pendingSenderWrites = new WeakMap<Element, Promise<boolean>>();

export class UserArchiver {
  readonly #deps: UserArchiverDeps;
  /**
   * Messages already handled on the recipient's side: a message to an unavailable full JID is
   * routed again to the bare JID (RFC 6121 §8.5.3.2.1) and must not be archived twice.
   */
  readonly #seen = new WeakSet<Element>();

  constructor(deps: UserArchiverDeps) {
    this.#deps = deps;
  }

  /**
   * `message/bare`, `message/full`, `deliver-message` on the recipient's host. `original`: the
   * stanza its sender sent, when `event.stanza` is a service's copy of it (a MUC private message).
   */
  incoming(event: StanzaEvent, original: Element = event.stanza): Outcome {
    const { stanza, to, from, origin } = event;
    if (this.#seen.has(stanza)) return undefined;
    this.#seen.add(stanza);
    const archive = to.bare();
    stripStanzaIds(stanza, archive.toString());
    // The sender's archive write, started on `pre-stanza`: delivery waits for both writes, which
    // run together (one commit of the storage engine can take both).
    const sent = pendingSenderWrites.get(original);
    if (shouldArchive(stanza)) return this.#keep(archive, from, stanza, origin, sent);
    // Not kept here, yet delivered in its stream's order like the others (see the file comment).
    const earlier = releaseInput(origin, stanza);
    if (sent === undefined && earlier === undefined) return undefined;
    return Promise.all([sent, earlier]).then(() => undefined);
  }

  /** `pre-stanza` on the sender's host. */
  outgoing(event: StanzaEvent): Outcome {
    const { stanza, to, from } = event;
    if (stanza.name !== 'message') return undefined;
    const archive = from.bare();
    stripStanzaIds(stanza, archive.toString());
    if (!shouldArchive(stanza)) return undefined;
    // The sender is logged in: the account exists. The write is not awaited here (see `incoming`).
    // Prefs are almost always in memory: then the write is issued in this turn, with no promise.
    const allowed = this.#allowed(archive, to);
    if (allowed === true) this.#keepSent(stanza, archive, to);
    if (typeof allowed === 'boolean') return undefined;
    return allowed.then((yes) => {
      if (yes) this.#keepSent(stanza, archive, to);
      return undefined;
    });
  }

  /** Starts the sender's archive write and stamps the sender's id for the carbons (see the file comment). */
  #keepSent(stanza: Element, archive: Jid, to: Jid): void {
    const stored = storedCopy(stanza);
    if (stored === undefined) return;
    const when = Date.now();
    const id = newArchiveId(when);
    pendingSenderWrites.set(stanza, this.#append(archive, to, id, when, stored));
    stampStanzaId(stanza, id, archive.toString());
  }

  /** Removes the sender's own stanza id before the message leaves (see the file comment). */
  stripBeforeRouting(event: StanzaEvent): undefined {
    if (event.stanza.name === 'message') stripStanzaIds(event.stanza, event.from.bare().toString());
    return undefined;
  }

  #keep(archive: Jid, contact: Jid, stanza: Element, origin: Session | undefined, sent: Promise<boolean> | undefined): Outcome {
    const stored = this.#wanted(archive, contact, stanza);
    if (typeof stored === 'object') return stored.then((copy) => this.#keepCopy(archive, contact, stanza, origin, sent, copy));
    return this.#keepCopy(archive, contact, stanza, origin, sent, stored);
  }

  /** Writes the recipient's copy (when there is one) and waits for what delivery must follow. */
  #keepCopy(archive: Jid, contact: Jid, stanza: Element, origin: Session | undefined, sent: Promise<boolean> | undefined, stored: string | undefined): Outcome {
    let id: string | undefined;
    let kept: Promise<boolean> | undefined;
    if (stored !== undefined) {
      const when = Date.now();
      id = newArchiveId(when);
      kept = this.#append(archive, contact, id, when, stored);
    }
    // All this message waits for now is commits and its stream's earlier stanzas: the stream may
    // go on with its next messages (see the file comment).
    const earlier = releaseInput(origin, stanza);
    if (kept === undefined && sent === undefined && earlier === undefined) return undefined;
    return Promise.all([kept, sent, earlier]).then(([keptNow]) => {
      // Delivery does not depend on the archive: a message it could not keep goes on without an id.
      if (keptNow === true) stampStanzaId(stanza, id!, archive.toString());
      return undefined;
    });
  }

  /** The copy to keep in the recipient's archive, or undefined (no account, prefs, nothing left). */
  #wanted(archive: Jid, contact: Jid, stanza: Element): string | undefined | Promise<string | undefined> {
    const exists = this.#deps.accountExists(archive);
    if (typeof exists === 'object') return exists.then((yes) => (yes ? this.#allowedCopy(archive, contact, stanza) : undefined));
    return exists ? this.#allowedCopy(archive, contact, stanza) : undefined;
  }

  #allowedCopy(archive: Jid, contact: Jid, stanza: Element): string | undefined | Promise<string | undefined> {
    const allowed = this.#allowed(archive, contact);
    if (typeof allowed === 'object') return allowed.then((yes) => (yes ? storedCopy(stanza) : undefined));
    return allowed ? storedCopy(stanza) : undefined;
  }

  /** Appends an item; false (logged) when the store failed. */
  #append(archive: Jid, contact: Jid, id: string, when: number, stanza: string): Promise<boolean> {
    const failed = (error: unknown): boolean => {
      this.#deps.logger.error({ err: error, archive: archive.toString() }, 'could not archive a message');
      return false;
    };
    try {
      // `with` is the contact as addressed (a full JID when there is one): a query's bare JID
      // matches all of its resources, a full JID only that one (XEP-0313 §4.1.1).
      return this.#deps.store.append(archive.toString(), { id, when, with: contact.toString(), stanza }).then(appended, failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  }

  /** Whether the prefs let `contact`'s messages in; synchronous when the prefs are cached. */
  #allowed(archive: Jid, contact: Jid): boolean | Promise<boolean> {
    const prefs = this.#deps.prefs.cached(archive.local);
    if (prefs === undefined) return this.#deps.prefs.get(archive.local).then((loaded) => this.#ruled(loaded, archive, contact));
    return this.#ruled(prefs, archive, contact);
  }

  #ruled(prefs: ArchivePrefs, archive: Jid, contact: Jid): boolean | Promise<boolean> {
    const rule = ruleFor(prefs, contact.bare().toString());
    if (rule !== 'roster') return rule;
    return this.#deps.inRoster(archive, contact.bare());
  }
}

function appended(): boolean {
  return true;
}

/**
 * The text kept in the archive: the stanza without chat states (Prosody's
 * `dont_archive_namespaces` default: "typing…" read back from history means nothing), in
 * `jabber:client` so that it can be forwarded as it is. Undefined when nothing else is left.
 */
function storedCopy(stanza: Element): string | undefined {
  let payload = false;
  let chatState = false;
  for (const child of stanza.children) {
    if (typeof child === 'string') continue;
    if (child.attrs.xmlns === CHAT_STATES) chatState = true;
    else payload = true;
  }
  if (!payload) return undefined;
  // The usual case: nothing to take out, already in `jabber:client`; serialised as it is.
  if (!chatState && stanza.attrs.xmlns === NS.client) return serializeElement(stanza);
  const copy = clone(stanza);
  copy.children = copy.children.filter((child) => typeof child === 'string' || child.attrs.xmlns !== CHAT_STATES);
  if (!copy.children.some((child) => typeof child !== 'string')) return undefined;
  copy.attrs.xmlns = NS.client;
  return serializeElement(copy);
}
