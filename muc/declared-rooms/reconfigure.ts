/**
 * The `muc` module's `reconfigure` (a config reload, `salon reload` or SIGHUP): the service keeps
 * its rooms and occupants and takes the new options in place. Every option is read when it is
 * used (`engine.options`), so new values apply to what happens next: room creation rules and
 * limits, new rooms' defaults, nickname length, the hook deadline. The history bounds shape each
 * room's existing history buffer, so their change waits for a restart (the old values stay in
 * effect until then). The declared rooms are then reconciled with the new `muc_rooms`.
 */
import type { ModuleContext } from '../../server/modules/index.js';
import { mucEngineKey } from '../muc-engine.js';
import { mucServiceKey } from '../muc-service.js';
import type { MucOptions } from '../options.js';
import { applyDeclaredRooms } from './declared-rooms.js';

/** Options whose change needs a restart. */
export const RESTART_OPTIONS = ['max_history_messages', 'muc_max_history_bytes'] as const;

/** Applies `options` in place; returns the names of changed options that need a restart. */
export async function reconfigureMuc(ctx: ModuleContext<MucOptions>, options: MucOptions): Promise<string[]> {
  const engine = ctx.service(mucEngineKey);
  const service = ctx.service(mucServiceKey);
  if (engine === undefined || service === undefined) return [...RESTART_OPTIONS];
  const current = engine.options;
  const restart = RESTART_OPTIONS.filter((name) => current[name] !== options[name]);
  engine.applyOptions({ ...options, max_history_messages: current.max_history_messages, muc_max_history_bytes: current.muc_max_history_bytes });
  await applyDeclaredRooms(engine, service, engine.options);
  return restart;
}
