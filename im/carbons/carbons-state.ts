/**
 * Which sessions asked for carbons (XEP-0280 §4, §5). Kept per Session object: a session that
 * stream management hibernates and resumes is the same object, so carbons stay on across the
 * resumption as the XEP expects of "the login session", and a session that ends is forgotten
 * with it.
 */
import type { Session } from '../../server/session/index.js';

export class CarbonsState {
  readonly #enabled = new WeakMap<Session, boolean>();

  isEnabled(session: Session): boolean {
    return this.#enabled.get(session) === true;
  }

  /** XEP-0280 §8.1: enabling twice or disabling twice is not an error, it just stays so. */
  set(session: Session, enabled: boolean): void {
    if (enabled) this.#enabled.set(session, true);
    else this.#enabled.delete(session);
  }
}
