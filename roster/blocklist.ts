/**
 * Blocking Command (XEP-0191): reading block and unblock requests, building the blocklist and
 * its pushes, and deciding whether a JID is blocked.
 */
import { Element } from 'ltx';
import { StanzaError, err, ok, type Result } from '../server/errors/index.js';
import { parseJid, type Jid } from '../server/jid/index.js';
import { NS } from '../server/xml/index.js';

/**
 * A block or unblock request with its JIDs normalised and without repeats. An unblock with no
 * JIDs unblocks everything (XEP-0191 §3.4).
 */
export type BlockingCommand =
  | { readonly action: 'block'; readonly jids: readonly string[] }
  | { readonly action: 'unblock'; readonly jids: readonly string[] };

/** Reads the `<block/>` or `<unblock/>` payload of a blocking iq set. */
export function parseBlockingCommand(payload: Element): Result<BlockingCommand, StanzaError> {
  const action = payload.getName();
  if ((action !== 'block' && action !== 'unblock') || payload.getNS() !== NS.blocking) {
    return err(StanzaError.modify('bad-request', { text: 'expected block or unblock' }));
  }
  const jids: string[] = [];
  const seen = new Set<string>();
  for (const item of payload.getChildren('item', NS.blocking)) {
    const value: unknown = item.attrs.jid;
    if (typeof value !== 'string' || value === '') return err(StanzaError.modify('bad-request', { text: 'an item has no jid' }));
    const jid = parseJid(value);
    if (!jid.ok) return err(StanzaError.modify('jid-malformed'));
    const normalised = jid.value.toString();
    if (seen.has(normalised)) continue;
    seen.add(normalised);
    jids.push(normalised);
  }
  // XEP-0191 §3.3: a block without items is a bad-request (an empty unblock means "all").
  if (action === 'block' && jids.length === 0) return err(StanzaError.modify('bad-request', { text: 'nothing to block' }));
  return ok({ action, jids });
}

/**
 * Whether stanzas from `jid` are blocked. Entries are matched as XEP-0191 §3.2 prescribes, in
 * XEP-0016 §2.1 order: the full JID, the bare JID, `domain/resource`, then the domain, which
 * covers every user and resource there. `domain/resource` matches that resource of any account
 * at the domain, as ejabberd reads it.
 */
export function isBlocked(blocklist: ReadonlySet<string>, jid: Jid): boolean {
  if (blocklist.size === 0) return false;
  if (blocklist.has(jid.toString())) return true;
  if (jid.local !== '' && blocklist.has(jid.bare().toString())) return true;
  if (jid.resource !== '' && blocklist.has(`${jid.domain}/${jid.resource}`)) return true;
  return blocklist.has(jid.domain);
}

/** `<blocklist xmlns='urn:xmpp:blocking'>` with one item per blocked JID (XEP-0191 §3.2). */
export function blocklistElement(blocklist: Iterable<string>): Element {
  return withItems(new Element('blocklist', { xmlns: NS.blocking }), blocklist);
}

/** The `<block/>` or `<unblock/>` payload pushed to the user's resources after a change (XEP-0191 §3.3, §3.4). */
export function blockingPushElement(command: BlockingCommand): Element {
  return withItems(new Element(command.action, { xmlns: NS.blocking }), command.jids);
}

function withItems(el: Element, jids: Iterable<string>): Element {
  for (const jid of jids) el.c('item', { jid });
  return el;
}

/** A blocklist after a command, and what the command actually changed. */
export interface BlocklistUpdate {
  readonly after: ReadonlySet<string>;
  /** JIDs newly blocked (block) or no longer blocked (unblock), in request order. */
  readonly changed: readonly string[];
}

/** `max_blocklist_size`: the default bound on one user's blocklist. */
export const DEFAULT_MAX_BLOCKLIST_SIZE = 1000;

/**
 * Applies a block or unblock command. Blocking a JID already blocked and unblocking one that is
 * not blocked change nothing (XEP-0191 §3.3, §3.4 treat both as success); an unblock without JIDs
 * empties the list. A block that would pass `maxSize` changes nothing and is a policy-violation.
 */
export function applyBlockingCommand(
  before: ReadonlySet<string>, command: BlockingCommand, maxSize = DEFAULT_MAX_BLOCKLIST_SIZE,
): Result<BlocklistUpdate, StanzaError> {
  const after = new Set(before);
  if (command.action === 'unblock') {
    const targets = command.jids.length === 0 ? [...before] : command.jids;
    const changed = targets.filter((jid) => after.delete(jid));
    return ok({ after, changed });
  }
  const changed = command.jids.filter((jid) => !before.has(jid));
  for (const jid of changed) after.add(jid);
  if (after.size > maxSize) {
    return err(StanzaError.modify('policy-violation', { text: `the blocklist is limited to ${maxSize} entries` }));
  }
  return ok({ after, changed });
}
