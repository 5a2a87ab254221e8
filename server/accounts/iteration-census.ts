/**
 * The PBKDF2 iteration count most stored accounts carry. Accounts keep the count they were created
 * with, so after `sasl_iterations` changes the configured count is no longer what real users show
 * in SCRAM's `i=` (or what checking their password costs); a decoy for a name that is not an
 * account (SCRAM's challenge, PLAIN's wasted derivation) that used it would tell the two apart.
 * The census reads a bounded, evenly spread sample of the accounts (never all of them, never per
 * login), counts the iteration counts and keeps the most common one. It is taken at the first lookup and again, in
 * the background, at a lookup once it is older than `CENSUS_MAX_AGE_MS`, so accounts created or
 * re-keyed since (here, by `salon adduser`, by an import) are counted within that delay.
 */
import type { AccountStore, ScramCredentials } from './account-store.js';

/** Account records one census reads at most: enough to find a majority, cheap at any size. */
export const CENSUS_SAMPLE = 1_000;
/** A census older than this is taken again at the next lookup; the old answer serves meanwhile. */
export const CENSUS_MAX_AGE_MS = 10 * 60_000;

/** What the census reads of the accounts. */
export type CensusSource = Pick<AccountStore, 'list' | 'getScram'>;

export class IterationCensus {
  readonly #accounts: CensusSource;
  readonly #configured: number;
  #current: number | undefined;
  #takenAt = Number.NEGATIVE_INFINITY;
  #running: Promise<number> | undefined;

  /** `configured` (`sasl_iterations`) is the answer while no account exists, and wins ties. */
  constructor(accounts: CensusSource, configured: number) {
    this.#accounts = accounts;
    this.#configured = configured;
  }

  /** The most common iteration count among stored accounts. Rejects only if the first census fails. */
  iterations(): Promise<number> {
    if (this.#running === undefined && performance.now() - this.#takenAt > CENSUS_MAX_AGE_MS) {
      this.#running = this.#take().finally(() => {
        this.#running = undefined;
      });
      // A failed refresh keeps the previous answer and is retried at the next lookup; only a
      // caller with no answer at all (the first census) sees the storage error.
      if (this.#current !== undefined) this.#running.catch(() => this.#current);
    }
    return this.#current !== undefined ? Promise.resolve(this.#current) : this.#running!;
  }

  async #take(): Promise<number> {
    const names = await this.#accounts.list();
    const stride = Math.max(1, names.length / CENSUS_SAMPLE);
    const tally = new Map<number, number>();
    for (let index = 0; index < names.length; index += stride) {
      const credentials = await this.#credentials(names[Math.floor(index)]!);
      if (credentials !== undefined) tally.set(credentials.iterations, (tally.get(credentials.iterations) ?? 0) + 1);
    }
    this.#current = this.#mostCommon(tally);
    this.#takenAt = performance.now();
    return this.#current;
  }

  async #credentials(name: string): Promise<ScramCredentials | undefined> {
    return (await this.#accounts.getScram(name, 'SHA-256')) ?? this.#accounts.getScram(name, 'SHA-1');
  }

  /** The count with most accounts; the configured one wins a tie, then the larger one. */
  #mostCommon(tally: ReadonlyMap<number, number>): number {
    let best = this.#configured;
    let bestCount = tally.get(best) ?? 0;
    for (const [iterations, count] of tally) {
      if (iterations === this.#configured) continue;
      if (count > bestCount || (count === bestCount && best !== this.#configured && iterations > best)) {
        best = iterations;
        bestCount = count;
      }
    }
    return best;
  }
}
