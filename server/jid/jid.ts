/**
 * A parsed, normalised JID (RFC 7622). JIDs are parsed once, where a stanza enters the router,
 * and passed around as values; nothing below the router re-parses strings.
 */
import { domainToASCII } from 'node:url';
import { LRUCache } from 'lru-cache';
import { err, ok, type Result } from '../errors/index.js';
import { JOINING, OLD_HANGUL_JAMO, VIRAMA } from './precis-context.js';
import { prepareLocalpart } from './username-case-mapped.js';

/** RFC 7622 §3.1: each part is at most 1023 octets. */
const MAX_PART_BYTES = 1023;
/** Control characters are forbidden in every part (PRECIS: Cc is disallowed). */
const CONTROL = /\p{Cc}/u;
/** RFC 8265 §4.2.1: "any instances of non-ASCII space MUST be mapped to ASCII space". */
const NON_ASCII_SPACE = /(?! )\p{Zs}/gu;
const PICTOGRAPH = '\\p{Extended_Pictographic}';
/**
 * What the FreeformClass (RFC 8264 §4.3, §8) refuses: controls (Cc), format characters (Cf, among
 * them the bidi controls U+202A–U+202E and U+2066–U+2069, U+200B and U+FEFF), private use (Co),
 * surrogates (Cs), unassigned code points and noncharacters (Cn), line and paragraph separators
 * (Zl, Zp), default-ignorable code points in other categories (variation selectors, U+034F,
 * U+3164; PrecisIgnorableProperties, §9.13) and old Hangul jamo (§9.9). One plain class: most
 * strings never match it, and only those that do get the contextual check below.
 */
const NOT_FREEFORM = new RegExp(`[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}\\p{Cn}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}${OLD_HANGUL_JAMO}]`, 'u');
/**
 * The same, except where the characters it refuses are needed and cannot hide text:
 * - the join controls (CONTEXTJ, RFC 8264 §9.8) in their RFC 5892 contexts: a ZWJ after a virama;
 *   a ZWNJ after a virama, or between letters of a joining script;
 * - emoji sequences, a deliberate leniency shared with room nicknames (muc/joining/nickname.ts), which
 *   become resourceparts: a ZWJ between two pictographs (skin tones and VS16 may follow the first)
 *   and the presentation selectors VS15/VS16 after an emoji character.
 * Each alternative matches the character first, so the look-arounds run only where it occurs.
 */
const NOT_FREEFORM_IN_CONTEXT = new RegExp(
  `\\u200D(?<![${VIRAMA}]\\u200D)(?<!${PICTOGRAPH}[\\u{1F3FB}-\\u{1F3FF}\\uFE0F]*\\u200D)`
  + `|\\u200D(?<![${VIRAMA}]\\u200D)(?!${PICTOGRAPH})`
  + `|\\u200C(?<![${VIRAMA}]\\u200C)(?<![${JOINING}]\\p{M}*\\u200C)`
  + `|\\u200C(?<![${VIRAMA}]\\u200C)(?!\\p{M}*[${JOINING}])`
  + '|[\\uFE0E\\uFE0F](?<!\\p{Emoji}[\\uFE0E\\uFE0F])'
  + `|${NOT_FREEFORM.source}(?<![\\u200C\\u200D\\uFE0E\\uFE0F])`,
  'u',
);

/** RFC 8264 §4.3: whether a prepared string holds only what the FreeformClass allows, in context. */
function isFreeform(text: string): boolean {
  return !NOT_FREEFORM.test(text) || !NOT_FREEFORM_IN_CONTEXT.test(text);
}

/** Characters no domain label may carry once IDNA-mapped. */
const FORBIDDEN_DOMAIN = /[\s/@"&'<>\\]/u;

export class Jid {
  readonly local: string;
  readonly domain: string;
  readonly resource: string;
  #bare: Jid | undefined;
  #string: string | undefined;

  /** Use `parseJid` or `Jid.of` for untrusted input; this constructor trusts normalised parts. */
  constructor(local: string, domain: string, resource = '') {
    this.local = local;
    this.domain = domain;
    this.resource = resource;
  }

  /** Builds a JID from parts that are known to be valid; throws on invalid input (a bug). */
  static of(local: string, domain: string, resource = ''): Jid {
    const parsed = parseParts(local, domain, resource);
    if (!parsed.ok) throw new TypeError(`invalid JID parts: ${parsed.error}`);
    return parsed.value;
  }

  get isBare(): boolean {
    return this.resource === '';
  }

  get isDomain(): boolean {
    return this.local === '' && this.resource === '';
  }

  /** The bare JID (`local@domain`), cached. */
  bare(): Jid {
    if (this.resource === '') return this;
    this.#bare ??= new Jid(this.local, this.domain);
    return this.#bare;
  }

  withResource(resource: string): Jid {
    return new Jid(this.local, this.domain, resource);
  }

  equals(other: Jid | undefined): boolean {
    return other !== undefined && other.local === this.local && other.domain === this.domain && other.resource === this.resource;
  }

  toString(): string {
    if (this.#string === undefined) {
      let s = this.local === '' ? this.domain : `${this.local}@${this.domain}`;
      if (this.resource !== '') s += `/${this.resource}`;
      this.#string = s;
    }
    return this.#string;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Why a JID was rejected; callers map it to `jid-malformed` and the like. */
export type JidProblem = 'empty' | 'bad-local' | 'bad-domain' | 'bad-resource' | 'too-long';

export function parseJid(input: string): Result<Jid, JidProblem> {
  if (input === '') return err('empty');
  // RFC 7622 §3.1: the resource starts at the first '/', the local part ends at the first '@' before it.
  const slash = input.indexOf('/');
  const head = slash === -1 ? input : input.slice(0, slash);
  const resource = slash === -1 ? '' : input.slice(slash + 1);
  if (slash !== -1 && resource === '') return err('bad-resource');
  const at = head.indexOf('@');
  const local = at === -1 ? '' : head.slice(0, at);
  const domain = at === -1 ? head : head.slice(at + 1);
  if (at !== -1 && local === '') return err('bad-local');
  return parseParts(local, domain, resource);
}

export function parseParts(local: string, domain: string, resource: string): Result<Jid, JidProblem> {
  const l = normaliseLocal(local);
  if (l === undefined) return err('bad-local');
  const d = normaliseDomain(domain);
  if (d === undefined) return err('bad-domain');
  const r = normaliseResource(resource);
  if (r === undefined) return err('bad-resource');
  return ok(new Jid(l, d, r));
}

/**
 * Localparts (RFC 7622 §3.3): the UsernameCaseMapped profile (RFC 8265 §3.3) with the characters
 * RFC 7622 excludes; `username-case-mapped.ts` holds the rules and the ASCII fast path.
 */
export function normaliseLocal(local: string): string | undefined {
  return prepareLocalpart(local);
}

/**
 * Domains recur in nearly every stanza and their IDNA check is costly, so results are cached.
 * Bounded: a flood of random domains only evicts entries.
 */
const domainCache = new LRUCache<string, string | false>({ max: 2048 });

/** Domain parts: lower-case, NFC, valid under IDNA (checked via its A-label), IP literals allowed. */
export function normaliseDomain(domain: string): string | undefined {
  // Longer than any domain can be once composed (see normaliseResource): refused before it can
  // be a cache key, so the cache's memory is bounded in bytes too.
  if (domain.length > 4 * MAX_PART_BYTES) return undefined;
  const cached = domainCache.get(domain);
  if (cached !== undefined) return cached === false ? undefined : cached;
  const result = computeDomain(domain);
  domainCache.set(domain, result ?? false);
  return result;
}

function computeDomain(domain: string): string | undefined {
  let d = domain.endsWith('.') ? domain.slice(0, -1) : domain;
  if (d === '') return undefined;
  d = d.normalize('NFC').toLowerCase();
  if (d.startsWith('[') && d.endsWith(']')) return /^\[[0-9a-f:.]+\]$/.test(d) ? d : undefined;
  if (FORBIDDEN_DOMAIN.test(d) || CONTROL.test(d)) return undefined;
  if (Buffer.byteLength(d) > MAX_PART_BYTES) return undefined;
  const ascii = domainToASCII(d);
  if (ascii === '' || ascii.split('.').some((label) => label === '' || label.length > 63)) return undefined;
  return d;
}

/**
 * Resourceparts (RFC 7622 §3.4): the OpaqueString profile (RFC 8265 §4.2), whose preparation maps
 * every non-ASCII space to U+0020 and applies NFC; the result is checked against the
 * FreeformClass (RFC 8264 §4.3). Printable ASCII is already in that form (the hot path).
 */
export function normaliseResource(resource: string): string | undefined {
  if (resource === '') return '';
  if (resource.length <= MAX_PART_BYTES && isPrintableAscii(resource)) return resource;
  // Keys of the cache stay short (its memory is bounded in bytes too): NFC composes at most three
  // code units into a two-byte character, so longer input cannot fit in 1023 bytes.
  if (resource.length > 4 * MAX_PART_BYTES) return undefined;
  const cached = resourceCache.get(resource);
  if (cached !== undefined) return cached === false ? undefined : cached;
  const result = prepareResource(resource);
  resourceCache.set(resource, result ?? false);
  return result;
}

/**
 * The class check costs about a microsecond for a 40-character resource (V8 searches the
 * Unicode ranges of every character) and the same full JIDs are parsed on every stanza to them,
 * so non-ASCII results are cached like domains. Bounded: a flood of random resources only evicts.
 */
const resourceCache = new LRUCache<string, string | false>({ max: 2048 });

function prepareResource(resource: string): string | undefined {
  const r = resource.replace(NON_ASCII_SPACE, ' ').normalize('NFC');
  if (!isFreeform(r) || Buffer.byteLength(r) > MAX_PART_BYTES) return undefined;
  return r;
}

/** Printable ASCII (space to tilde) is already NFC and free of controls. */
function isPrintableAscii(part: string): boolean {
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}
