/**
 * The state and shared operations of one MUC service: its rooms, storage, occupant ids, the
 * ordered built-in join checks, and the lifecycle steps every feature uses (create, persist,
 * discard a room; fire a vetoable hook with its deadline).
 */
import type { Element } from 'ltx';
import { StanzaError } from '../server/errors/index.js';
import type { HookEvents } from '../server/hooks/index.js';
import type { Jid } from '../server/jid/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { ChatRoom } from './rooms/chat-room.js';
import type { DestroyCause } from './events.js';
import type { JoinCheck } from './joining/join-checks.js';
import type { OccupantIds } from './rooms/occupant-ids.js';
import { roomDefaultsFrom, type MucOptions } from './options.js';
import { RoomRegistry } from './rooms/room-registry.js';
import type { RoomStore } from './rooms/room-store.js';
import type { RoomArchiving } from './archive/room-archiving.js';
import { serviceKey } from '../server/modules/index.js';

/**
 * The engine of a MUC service, on its host, for the modules of this folder that extend it
 * (`muc_mam`). Not exported from `muc/index.ts`: other folders use `mucServiceKey`.
 */
export const mucEngineKey = serviceKey<MucEngine>('muc-engine');

type VetoEvent = 'muc-room-pre-create' | 'muc-occupant-pre-join' | 'muc-occupant-pre-change' | 'muc-register-pre';

/** One MUC service's engine, shared by its feature files. */
export class MucEngine {
  readonly ctx: ModuleContext<MucOptions>;
  /** The service's domain (`conference.localhost`). */
  readonly domain: string;
  readonly rooms = new RoomRegistry();
  readonly store: RoomStore;
  readonly ids: OccupantIds;
  /** Built-in admission rules, run in order after the `muc-occupant-pre-join` hook. */
  readonly joinChecks: JoinCheck[] = [];
  /** The room archive (`muc_mam`), while that module is loaded on this service. */
  archiving: RoomArchiving | undefined;
  /** Rooms' disco#info features added by modules that extend the service (`muc_moderation`). */
  readonly roomFeatures = new Set<(room: ChatRoom) => readonly string[]>();
  #options: MucOptions;

  constructor(ctx: ModuleContext<MucOptions>, ids: OccupantIds, store: RoomStore) {
    this.ctx = ctx;
    this.#options = ctx.options;
    this.domain = ctx.host.name;
    this.ids = ids;
    this.store = store;
  }

  /** The service's options; a config reload may replace them (`muc/declared-rooms/reconfigure.ts`). */
  get options(): MucOptions {
    return this.#options;
  }

  /** `muc_hook_deadline` in milliseconds. */
  get deadlineMs(): number {
    return this.#options.muc_hook_deadline * 1000;
  }

  /** Takes new options in place: every later decision reads them (see `reconfigure`). */
  applyOptions(options: MucOptions): void {
    this.#options = options;
  }

  get hooks(): ModuleContext['host']['hooks'] {
    return this.ctx.host.hooks;
  }

  /** A room with the service's default configuration, not yet registered. */
  newRoom(jid: Jid): ChatRoom {
    const { max_history_messages: maxHistory, muc_max_history_bytes: maxHistoryBytes } = this.options;
    return new ChatRoom(jid.bare(), roomDefaultsFrom(this.options), maxHistory, this.rooms, maxHistoryBytes);
  }

  /** Makes a new room visible and tells the hooks. */
  register(room: ChatRoom, creator: Jid): void {
    this.rooms.add(room);
    this.ctx.logger.info({ room: room.address, creator: creator.bare().toString() }, 'room created');
    this.hooks.notify('muc-room-created', { room: room.view, creator });
  }

  /** Writes (or deletes) the room's record; resolves when durable, logs failures. */
  async persist(room: ChatRoom): Promise<void> {
    try {
      await this.store.sync(room);
      this.ctx.logger.debug({ room: room.address, stored: room.stored }, 'room record written');
    } catch (error) {
      this.ctx.logger.error({ err: error, room: room.address }, 'storing the room failed');
    }
  }

  /**
   * Forgets a room that has no occupants left (or whose occupants were already told). Resolves
   * once its stored record, if any, is gone.
   */
  discard(room: ChatRoom, cause: DestroyCause, reason?: string): Promise<void> {
    if (!room.registered) return Promise.resolve();
    if (room.lockTimer !== undefined) clearTimeout(room.lockTimer);
    room.lockTimer = undefined;
    for (const occupant of [...room.occupants()]) room.removeOccupant(occupant);
    this.rooms.remove(room);
    const stored = this.persist(room);
    this.ctx.logger.info({ room: room.address, cause }, 'room destroyed');
    this.hooks.notify('muc-room-destroyed', { room: room.view, cause, reason });
    return stored;
  }

  /** A temporary room vanishes with its last occupant (XEP-0045 §10.1.3 "temporary room"). */
  releaseIfEmpty(room: ChatRoom): void {
    if (room.registered && room.occupantCount === 0 && !room.config.persistentroom) void this.discard(room, 'emptied');
  }

  /**
   * Fires a vetoable hook with the service's deadline. A veto without `by` gets the service
   * domain; a missed deadline or a failing handler refuses (fail closed).
   */
  async veto<K extends VetoEvent>(name: K, payload: HookEvents[K]): Promise<StanzaError | undefined> {
    if (!this.hooks.has(name)) return undefined;
    const outcome = await this.hooks.fire(name, payload, { deadlineMs: this.deadlineMs });
    if (!(outcome instanceof StanzaError)) return undefined;
    return outcome.by === undefined ? outcome.withBy(this.domain) : outcome;
  }

  /** Routes a stanza the service generated (to a JID that may live anywhere). */
  send(stanza: Element): void {
    this.ctx.send(stanza);
  }

  /** Whether a user is a server administrator (`admins`). */
  isServerAdmin(jid: Jid): boolean {
    return this.ctx.isAdmin(jid.bare());
  }
}
