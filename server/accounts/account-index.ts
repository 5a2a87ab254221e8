/**
 * Every account's SCRAM keys of one host in memory, so that the first login of an account after
 * a start reads no file: the account files stay the record, and an append-only log beside them
 * (store `account_index`, one line per change) lets a starting server learn them all with one
 * read instead of one file each.
 *
 * Each change of an account, by this process or another (`salon adduser`, `passwd`, `deluser`,
 * `import`), appends a "changing" line before the account file is written and the new keys (or
 * the removal) after. A crash between the two leaves the "changing" line last, and that account
 * is read from its file. The server learns of other processes' changes while it runs through the
 * accounts directory's watch (`forget`), and at the next start from the log. At load, the
 * directory listing is compared with the log: a file the log does not know (an older release, a
 * copied file) is read from disk at its first login, and an entry without a file is dropped.
 * The log is written whole (compacted) only when there was none: the first start on existing data.
 */
import type { AppendLog, KeyValueStore } from '../storage/index.js';
import type { AccountRecord } from './account-store.js';

/** The store the index log lives in (beside `accounts`, not in it: its changes are not account changes). */
export const ACCOUNT_INDEX_STORE = 'account_index';
const LOG_KEY = 'accounts';

/** A line of the log: `c` = a change is starting, `s` = the keys after it, `d` = removed. */
export type AccountIndexLine = { k: string; c: 1 } | { k: string; s: AccountRecord['scram'] } | { k: string; d: 1 };

type Scram = AccountRecord['scram'];

export class AccountIndex {
  readonly #log: AppendLog<AccountIndexLine>;
  readonly #accounts: KeyValueStore<AccountRecord>;
  /** Accounts whose keys are known; a name in neither map nor `#unsure` is not an account once loaded. */
  readonly #known = new Map<string, Scram>();
  /** Accounts to read from their file (changing, changed by another process, unknown to the log). */
  readonly #unsure = new Set<string>();
  #loaded = false;
  #loading: Promise<void> | undefined;
  /** Grows with every change seen: a file read that overlapped one is not learnt. */
  #changes = 0;
  /** Keys changed while the log was being read (or rebuilt): read from their files after it. */
  #touched: Set<string> | undefined;
  /** Grows when everything may have changed: a load that started before does not count. */
  #epoch = 0;

  constructor(log: AppendLog<AccountIndexLine>, accounts: KeyValueStore<AccountRecord>) {
    this.#log = log;
    this.#accounts = accounts;
  }

  /** Loads the index in the background (once); lookups answer `undefined` until it is loaded. */
  load(): Promise<void> {
    // Changes by other processes would go unseen: until they can be, the account files answer.
    if (this.#loading === undefined && this.#accounts.isWatched?.() !== true) return Promise.resolve();
    this.#loading ??= this.#load().catch((error: unknown) => {
      // Lookups keep going to the account files: slower, never wrong.
      this.#loading = undefined;
      throw error;
    });
    return this.#loading;
  }

  /**
   * The keys of `key`: the record's SCRAM keys, `null` when it is known not to be an account,
   * `undefined` when the index cannot tell (read the file, then `learn`).
   */
  lookup(key: string): Scram | null | undefined {
    if (!this.#loaded || this.#unsure.has(key)) return undefined;
    return this.#known.get(key) ?? null;
  }

  /** A counter to pass to `learn`: what was read is kept only if nothing changed meanwhile. */
  get changes(): number {
    return this.#changes;
  }

  /** Keeps what the account file said for an unsure key, read while `changes` was `seen`. */
  learn(key: string, scram: Scram | undefined, seen: number): void {
    if (!this.#loaded || seen !== this.#changes || !this.#unsure.has(key)) return;
    this.#unsure.delete(key);
    if (scram === undefined) this.#known.delete(key);
    else this.#known.set(key, scram);
  }

  /** An account may have changed elsewhere (the directory watch); `undefined`: any account may have. */
  forget(key: string | undefined): void {
    this.#changes++;
    if (key === undefined) {
      // Accounts created elsewhere are unknown to the maps: the log and the listing tell them.
      this.#known.clear();
      this.#unsure.clear();
      this.#loaded = false;
      this.#epoch++;
      if (this.#loading !== undefined) {
        this.#loading = undefined;
        // A failed reload leaves lookups on the account files (see `load`).
        this.load().catch(() => undefined);
      }
      return;
    }
    this.#touched?.add(key);
    this.#known.delete(key);
    this.#unsure.add(key);
  }

  /** Before the account file of `key` changes: durable once resolved. */
  async changing(key: string): Promise<void> {
    this.forget(key);
    await this.#log.append(LOG_KEY, { k: key, c: 1 });
  }

  /**
   * After the account file of `key` changed to `scram` (undefined: removed). The line is written
   * in the background, after the "changing" one: until it is durable, a restart reads this account
   * from its file, so the caller need not wait for it (nor its answer to the client).
   */
  changed(key: string, scram: Scram | undefined): void {
    const line: AccountIndexLine = scram === undefined ? { k: key, d: 1 } : { k: key, s: scram };
    // A lost line costs one file read at the next start; the account file is the record.
    this.#log.append(LOG_KEY, line).catch(() => undefined);
    this.#changes++;
    if (!this.#loaded) return;
    this.#unsure.delete(key);
    if (scram === undefined) this.#known.delete(key);
    else this.#known.set(key, scram);
  }

  async #load(): Promise<void> {
    // Keys changed while the log and the listing are read are read from their files afterwards.
    const touched = new Set<string>();
    this.#touched = touched;
    const epoch = this.#epoch;
    try {
      const [lines, names] = await Promise.all([this.#log.read(LOG_KEY), this.#accounts.keys()]);
      const replayed = lines.length === 0 && names.length > 0 ? await this.#rebuild(names, touched) : replay(lines);
      if (epoch !== this.#epoch) return;
      const files = new Set(names);
      this.#known.clear();
      this.#unsure.clear();
      for (const [key, scram] of replayed) {
        if (!files.has(key)) continue;
        if (scram === 'changing') this.#unsure.add(key);
        else this.#known.set(key, scram);
      }
      for (const name of names) if (!replayed.has(name)) this.#unsure.add(name);
      for (const key of touched) {
        this.#known.delete(key);
        this.#unsure.add(key);
      }
      this.#loaded = true;
    } finally {
      if (this.#touched === touched) this.#touched = undefined;
    }
  }

  /** No log yet (the first start on existing accounts): one read of every file, one log written. */
  async #rebuild(names: readonly string[], touched: ReadonlySet<string>): Promise<Map<string, Scram | 'changing'>> {
    const lines: AccountIndexLine[] = [];
    for (const name of names) {
      const record = await this.#accounts.get(name);
      if (record !== undefined) lines.push({ k: name, s: record.scram });
    }
    await this.#log.replace(LOG_KEY, lines);
    // A change another process appended while the log was rewritten may be lost: say it again.
    for (const key of [...touched]) {
      await this.#log.append(LOG_KEY, { k: key, c: 1 });
      const record = await this.#accounts.get(key);
      await this.#log.append(LOG_KEY, record === undefined ? { k: key, d: 1 } : { k: key, s: record.scram });
    }
    return replay(lines);
  }
}

/** The state of every key the log names, in the order its lines were written. */
function replay(lines: readonly AccountIndexLine[]): Map<string, Scram | 'changing'> {
  const replayed = new Map<string, Scram | 'changing'>();
  for (const line of lines) {
    if ('c' in line) replayed.set(line.k, 'changing');
    else if ('s' in line) replayed.set(line.k, line.s);
    else replayed.delete(line.k);
  }
  return replayed;
}
