/**
 * How `salon import` writes rosters. The core does not know the roster format (DESIGN.md §1: the
 * roster service is a feature above `server/`), so the composition root injects the writer.
 */
import type { Jid } from '../jid/index.js';
import type { StorageDriver } from '../storage/index.js';
import type { ImportedContact } from './import-file.js';

export interface RosterImportTarget {
  /** Replaces `user`'s roster with `contacts`; resolves once it is durable. */
  replace(user: Jid, contacts: readonly ImportedContact[]): Promise<void>;
}

/** Opens the roster store of `host` on `driver` for import. */
export type RosterImporterFactory = (driver: StorageDriver, host: string) => RosterImportTarget;
