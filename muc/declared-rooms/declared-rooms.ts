/**
 * The `muc_rooms` option at work: on load and on every reload, the declared rooms are resolved
 * against this service (`declared-room-plan.ts`) and the service is reconciled with them
 * (`reconcile-rooms.ts`). A service with no declared rooms and `muc_rooms_destroy_undeclared`
 * off does nothing (and logs nothing).
 */
import type { MucEngine } from '../muc-engine.js';
import type { MucService } from '../muc-service.js';
import { roomDefaultsFrom, type MucOptions } from '../options.js';
import { planDeclaredRooms } from './declared-room-plan.js';
import { reconcileDeclaredRooms, type ReconcileReport } from './reconcile-rooms.js';

/** Reconciles the service with `options.muc_rooms`; undefined when there was nothing to do. */
export async function applyDeclaredRooms(engine: MucEngine, service: MucService, options: MucOptions): Promise<ReconcileReport | undefined> {
  if (options.muc_rooms.length === 0 && !options.muc_rooms_destroy_undeclared) return undefined;
  const plan = planDeclaredRooms(options.muc_rooms, {
    service: engine.domain,
    userHost: engine.ctx.hosts().find((host) => host.kind === 'user')?.name,
    defaults: roomDefaultsFrom(options),
    maxHistory: options.max_history_messages,
  });
  for (const problem of plan.problems) engine.ctx.logger.error({ option: 'muc_rooms', problem }, 'declared room skipped');
  return reconcileDeclaredRooms(engine, service, plan.rooms, options.muc_rooms_destroy_undeclared);
}
