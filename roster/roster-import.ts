/**
 * Bulk roster writes for `salon import`: rosters go into the same store, in the same format, as
 * the roster service keeps them (`createKeyValueRosterStore`, store `roster`).
 */
import type { Jid } from '../server/jid/index.js';
import type { StorageDriver } from '../server/storage/index.js';
import type { RosterItem } from './roster-item.js';
import { createKeyValueRosterStore, type SerialisedRoster } from './roster-store.js';
import { emptyRoster } from './roster.js';
import type { Subscription } from './subscription-state.js';

/** The store rosters live in (the roster module's `ctx.storage('roster')`). */
export const ROSTER_STORE = 'roster';

/** A contact to import: a bare JID, already normalised. */
export interface ImportContact {
  jid: Jid;
  name?: string;
  groups: string[];
  subscription: Subscription;
}

/** Opens `host`'s rosters on `driver` for replacing whole rosters. */
export function createRosterImporter(driver: StorageDriver, host: string): { replace(user: Jid, contacts: readonly ImportContact[]): Promise<void> } {
  const store = createKeyValueRosterStore(driver.open<SerialisedRoster>(host, ROSTER_STORE));
  return {
    async replace(user: Jid, contacts: readonly ImportContact[]): Promise<void> {
      const previous = await store.load(user);
      const roster = emptyRoster();
      // RFC 6121 §2.6: a changed roster gets a new version, so clients do not keep a stale cache.
      roster.version = previous.version + 1;
      roster.pendingIn = previous.pendingIn;
      for (const contact of contacts) {
        const item: RosterItem = { jid: contact.jid.toString(), groups: [...contact.groups], subscription: contact.subscription };
        if (contact.name !== undefined) item.name = contact.name;
        roster.items.set(item.jid, item);
      }
      await store.save(user, roster);
    },
  };
}
