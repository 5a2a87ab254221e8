/**
 * Archiving preferences (XEP-0313 §6.1): a default (`always`, `never`, `roster`) and JIDs always
 * or never archived, kept per user. The server's `default_archive_policy` applies until a user
 * sets their own. As in Prosody, a JID in a list is matched as the contact's bare JID.
 */
import { Element } from 'ltx';
import { parseJid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';

export type ArchiveDefault = 'always' | 'never' | 'roster';

export interface ArchivePrefs {
  readonly default: ArchiveDefault;
  readonly always: readonly string[];
  readonly never: readonly string[];
}

/** Most JIDs a user may list in `always` and `never` together: prefs are read per message. */
export const MAX_PREFS_JIDS = 1000;

/** The server's default: `default_archive_policy` (Prosody: true = always, false = never, "roster"). */
export function defaultPrefs(policy: boolean | ArchiveDefault): ArchivePrefs {
  const value: ArchiveDefault = policy === true ? 'always' : policy === false ? 'never' : policy;
  return { default: value, always: [], never: [] };
}

/**
 * What the prefs say about a contact (its bare JID): true, false, or `roster` when the answer is
 * whether the contact is in the user's roster. XEP-0313 §6.1: an explicit JID wins over the default.
 */
export function ruleFor(prefs: ArchivePrefs, contact: string): boolean | 'roster' {
  if (prefs.never.includes(contact)) return false;
  if (prefs.always.includes(contact)) return true;
  if (prefs.default === 'roster') return 'roster';
  return prefs.default === 'always';
}

/** `<prefs/>` as a client sees it (XEP-0313 §6.1). */
export function prefsElement(prefs: ArchivePrefs): Element {
  const element = new Element('prefs', { xmlns: NS.mam, default: prefs.default });
  const always = element.c('always');
  for (const jid of prefs.always) always.c('jid').t(jid);
  const never = element.c('never');
  for (const jid of prefs.never) never.c('jid').t(jid);
  return element;
}

/** Reads a client's `<prefs/>`; the error text names what is wrong (answered with bad-request). */
export function parsePrefs(element: Element, current: ArchivePrefs): ArchivePrefs | string {
  const attr = element.attrs.default as string | undefined;
  // XEP-0313 §6.1: `default` is required; Prosody keeps the current one when it is missing.
  if (attr !== undefined && attr !== 'always' && attr !== 'never' && attr !== 'roster') return `Unknown default "${attr}"`;
  const always = jidList(element.getChild('always'));
  const never = jidList(element.getChild('never'));
  if (typeof always === 'string') return always;
  if (typeof never === 'string') return never;
  if (always.length + never.length > MAX_PREFS_JIDS) return `At most ${MAX_PREFS_JIDS} JIDs may be listed`;
  // A JID in both lists is never archived: the safer reading for the user's privacy.
  return { default: attr ?? current.default, always: always.filter((jid) => !never.includes(jid)), never };
}

function jidList(list: Element | undefined): string[] | string {
  const out: string[] = [];
  for (const item of list?.getChildren('jid') ?? []) {
    const parsed = parseJid(item.getText().trim());
    if (!parsed.ok) return `Invalid JID "${item.getText()}"`;
    const jid = parsed.value.bare().toString();
    if (!out.includes(jid)) out.push(jid);
  }
  return out;
}

/** Reads stored prefs, whatever an older or damaged record holds. */
export function readStoredPrefs(value: unknown): ArchivePrefs | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const def = record.default;
  if (def !== 'always' && def !== 'never' && def !== 'roster') return undefined;
  const strings = (list: unknown): string[] => (Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : []);
  return { default: def, always: strings(record.always), never: strings(record.never) };
}
