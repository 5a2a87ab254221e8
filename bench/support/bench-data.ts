/**
 * The accounts every server under test holds, the same for Salon and Prosody: `user0..user<P-1>`
 * without rosters (logins, messages, MUC, idle sessions) and `ruser0..ruser<R-1>` with rosters of
 * `rosterSize` contacts among themselves, every subscription `both` (the `roster-100` scenario).
 * All passwords are `pw`.
 *
 * Contacts are spread out (a stride coprime with R), so that the logins in flight at one moment,
 * which take consecutive accounts, see a realistic few of their contacts online rather than all.
 */
import { BENCH_DOMAIN, BENCH_PASSWORD, benchUsername, rosterUsername } from './bench-protocol.js';

export interface BenchAccounts {
  /** `user0..` */
  plain: number;
  /** `ruser0..` */
  withRoster: number;
  /** Contacts per roster user (even; fewer than `withRoster`). */
  rosterSize: number;
  /**
   * `pep-fanout`: `pepowner` with this many contacts `pepcontact0..`, each subscription `both`
   * (a star: every contact has the owner alone on its roster). Absent or 0: no such accounts.
   */
  pepContacts?: number;
}

/** The publisher of `pep-fanout` and its contacts (`BenchAccounts.pepContacts`). */
export const PEP_OWNER = 'pepowner';
export function pepContactUsername(index: number): string {
  return `pepcontact${index}`;
}

const FIRST_STRIDE = 37;

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The smallest stride from 37 up that is coprime with `count`, so multiples of it never repeat. */
export function contactStride(count: number): number {
  let stride = FIRST_STRIDE;
  while (gcd(stride, count) !== 1) stride++;
  return stride;
}

/**
 * Indexes of the contacts of roster user `index`: `index ± k·stride (mod count)` for k = 1..size/2.
 * The relation is symmetric (j is a contact of i exactly when i is one of j), as subscriptions `both` need.
 */
export function rosterContacts(index: number, count: number, size: number): number[] {
  if (size % 2 !== 0 || size >= count) throw new RangeError(`a roster size must be even and below the number of roster users (${size}, ${count})`);
  const stride = contactStride(count);
  const contacts: number[] = [];
  for (let k = 1; k <= size / 2; k++) {
    const offset = (k * stride) % count;
    contacts.push((index + offset) % count, (index - offset + count) % count);
  }
  return contacts;
}

export interface ImportUser {
  jid: string;
  password: string;
  roster?: { jid: string; subscription: 'both'; groups: string[] }[];
}

/** Every account, in `salon import`'s JSON shape. */
export function* benchImportUsers(accounts: BenchAccounts): Generator<ImportUser> {
  for (let i = 0; i < accounts.plain; i++) yield { jid: `${benchUsername(i)}@${BENCH_DOMAIN}`, password: BENCH_PASSWORD };
  for (let i = 0; i < accounts.withRoster; i++) {
    const roster = rosterContacts(i, accounts.withRoster, accounts.rosterSize)
      .map((contact) => ({ jid: `${rosterUsername(contact)}@${BENCH_DOMAIN}`, subscription: 'both' as const, groups: ['Bench'] }));
    yield { jid: `${rosterUsername(i)}@${BENCH_DOMAIN}`, password: BENCH_PASSWORD, roster };
  }
  yield* pepStar(accounts.pepContacts ?? 0);
}

function* pepStar(contacts: number): Generator<ImportUser> {
  if (contacts === 0) return;
  const owner = `${PEP_OWNER}@${BENCH_DOMAIN}`;
  const roster = Array.from({ length: contacts }, (_, i) => ({ jid: `${pepContactUsername(i)}@${BENCH_DOMAIN}`, subscription: 'both' as const, groups: ['Bench'] }));
  yield { jid: owner, password: BENCH_PASSWORD, roster };
  for (let i = 0; i < contacts; i++) {
    yield { jid: `${pepContactUsername(i)}@${BENCH_DOMAIN}`, password: BENCH_PASSWORD, roster: [{ jid: owner, subscription: 'both', groups: ['Bench'] }] };
  }
}
