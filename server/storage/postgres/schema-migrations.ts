/**
 * The PostgreSQL schema, as numbered migrations. Each runs once per database, in order, inside
 * the transaction of `migrateSchema`; a released migration is never edited, a change is a new
 * one. Text columns that are compared or sorted use the "C" collation: archive ids must sort
 * byte-wise (archive-id.ts), whatever the database's locale, and byte-wise equality is cheaper.
 */

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'archives (XEP-0313 user archives, room history)',
    statements: [
      `CREATE TABLE salon_archive (
        host text COLLATE "C" NOT NULL,
        store text COLLATE "C" NOT NULL,
        archive text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        "when" bigint NOT NULL,
        "with" text COLLATE "C" NOT NULL,
        -- The peer's bare JID (the room's JID for an occupant JID), kept by PostgreSQL itself.
        with_bare text COLLATE "C" GENERATED ALWAYS AS (split_part("with", '/', 1)) STORED,
        stanza text NOT NULL,
        PRIMARY KEY (host, store, archive, id)
      )`,
      // A MAM query filtered by peer reads its page straight off this index, in id order: by
      // bare JID the common case (every resource of a contact), a full JID filtered from it.
      'CREATE INDEX salon_archive_with ON salon_archive (host, store, archive, with_bare, id)',
      // A catch-up query (MAM `start` = the last message a client saw) finds its few recent items
      // here instead of walking the archive from its oldest id.
      'CREATE INDEX salon_archive_archive_when ON salon_archive (host, store, archive, "when")',
      // Expiry (deleteOlderThan) deletes by time across every archive of a store.
      'CREATE INDEX salon_archive_when ON salon_archive (host, store, "when")',
    ],
  },
  {
    version: 2,
    description: 'key-value stores (accounts, rosters, rooms, …)',
    statements: [
      `CREATE TABLE salon_kv (
        host text COLLATE "C" NOT NULL,
        store text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        value jsonb NOT NULL,
        PRIMARY KEY (host, store, key)
      )`,
    ],
  },
];

/** The schema version this code writes and reads. */
export const CURRENT_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
