/**
 * `muc/archive/`: room archives (Prosody's `muc_mam`, XEP-0313 on a room's JID, XEP-0359 stanza
 * ids stamped by the room). The `muc_mam` module (`muc-mam-module.ts`) plugs a `RoomArchiving`
 * into the engine; the engine calls it at the few points where a room's traffic meets its
 * archive: a groupchat message before it is serialised, a join before history is chosen, the
 * configuration form and disco#info. Without the module, rooms keep only their in-memory history.
 */
import type { Element } from 'ltx';
import type { ChatRoom } from '../rooms/chat-room.js';

/** What the engine asks of the room archive. */
export interface RoomArchiving {
  /** Whether new messages of the room go to its archive. */
  isEnabled(room: ChatRoom): boolean;
  /** Whether owners see `muc#roomconfig_enablearchiving` (not when `muc_log_all_rooms` decides). */
  readonly offersConfigField: boolean;
  /**
   * Archives a reflected groupchat message (when the room archives it) and stamps it with the
   * room's `<stanza-id/>` once the archive holds it. Undefined when nothing is archived and
   * nothing is waiting; otherwise a promise of the archive id (undefined if not archived) that
   * resolves after every earlier message of the room was archived, so the room delivers its
   * messages in the order of their archive ids.
   */
  archive(room: ChatRoom, message: Element): Promise<string | undefined> | undefined;
  /**
   * Whether the room has so many messages waiting for the archive that their senders' streams
   * must wait too (the bound on what a room holds in memory while its archive syncs).
   */
  isBacklogged(room: ChatRoom): boolean;
  /**
   * Fills the room's history from its archive once (after a restart the in-memory history is
   * empty). Undefined when there is nothing to wait for.
   */
  loadHistory(room: ChatRoom): Promise<void> | undefined;
  /** The stored stanza of the room's archived message with this id, if the archive holds it. */
  find(room: ChatRoom, id: string): Promise<string | undefined>;
  /**
   * Replaces an archived message's stanza, keeping its id and time (XEP-0425's tombstone);
   * false when the archive does not hold it.
   */
  replace(room: ChatRoom, id: string, stanza: string): Promise<boolean>;
  /** The room's disco#info features the archive adds. */
  features(room: ChatRoom): readonly string[];
}
