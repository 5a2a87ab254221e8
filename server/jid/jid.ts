/**
 * A parsed, normalised JID (RFC 7622). JIDs are parsed once, where a stanza enters the router,
 * and passed around as values; nothing below the router re-parses strings.
 */
import { domainToASCII } from 'node:url';
import { LRUCache } from 'lru-cache';
import { err, ok, type Result } from '../errors/result.js';

/** RFC 7622 §3.1: each part is at most 1023 octets. */
const MAX_PART_BYTES = 1023;
/** RFC 7622 §3.3.1: characters the UsernameCaseMapped profile forbids in a localpart. */
const FORBIDDEN_LOCAL = /["&'/:<>@\s]/u;
/** Control characters are forbidden in every part (PRECIS: Cc is disallowed). */
const CONTROL = /\p{Cc}/u;
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
 * True when every character is ASCII a–z, 0–9 or one of `-._`: such a part is already in normal
 * form, so the Unicode mappings below can be skipped on the hot path.
 */
function isPlainAscii(part: string): boolean {
  for (let i = 0; i < part.length; i++) {
    const c = part.charCodeAt(i);
    const plain = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f;
    if (!plain) return false;
  }
  return true;
}

/** UsernameCaseMapped (RFC 8265 §3.3): width-map, lower-case, NFC; forbidden ASCII and controls. */
export function normaliseLocal(local: string): string | undefined {
  if (local === '') return '';
  if (local.length <= MAX_PART_BYTES && isPlainAscii(local)) return local;
  const mapped = local.normalize('NFKC').toLowerCase().normalize('NFC');
  if (FORBIDDEN_LOCAL.test(mapped) || CONTROL.test(mapped)) return undefined;
  if (Buffer.byteLength(mapped) > MAX_PART_BYTES) return undefined;
  return mapped;
}

/**
 * Domains recur in nearly every stanza and their IDNA check is costly, so results are cached.
 * Bounded: a flood of random domains only evicts entries.
 */
const domainCache = new LRUCache<string, string | false>({ max: 2048 });

/** Domain parts: lower-case, NFC, valid under IDNA (checked via its A-label), IP literals allowed. */
export function normaliseDomain(domain: string): string | undefined {
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

/** OpaqueString (RFC 8265 §4.2): NFC, no control characters, not empty. */
export function normaliseResource(resource: string): string | undefined {
  if (resource === '') return '';
  if (resource.length <= MAX_PART_BYTES && isPrintableAscii(resource)) return resource;
  const r = resource.normalize('NFC');
  if (CONTROL.test(r) || Buffer.byteLength(r) > MAX_PART_BYTES) return undefined;
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
