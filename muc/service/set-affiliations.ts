/**
 * `MucService.setAffiliation` and `setAffiliations`: the service changes affiliations as a room
 * owner could, through the same code as the `muc#admin` iq (`applyAffiliationChange`): present
 * users get their new presence (banned 301, removed from a members-only room 321), absent ones
 * are announced, `muc-affiliation-changed` fires per change. A batch is checked whole first
 * (`affiliation-batch.ts`) and the room is stored once, after the last change; entries that
 * change nothing are skipped.
 */
import { err, ok, type Result } from '../../server/errors/index.js';
import { toJid, type Jid } from '../../server/jid/index.js';
import type { MucEngine } from '../muc-engine.js';
import type { AffiliationBatchProblem, AffiliationChange, AffiliationOptions, RoomNotFound, ServiceActor } from '../muc-service.js';
import { applyAffiliationChange } from '../moderation/apply-affiliation-change.js';
import type { Affiliation } from '../rooms/roles-affiliations.js';
import { planAffiliationBatch } from './affiliation-batch.js';
import { changeContext, findRoom } from './service-room.js';

export async function setAffiliation(
  engine: MucEngine, address: Jid | string, userAddress: Jid | string, affiliation: Affiliation, options: AffiliationOptions,
): Promise<Result<void, RoomNotFound | 'invalid-jid' | 'last-owner'>> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const user = toJid(userAddress)?.bare();
  if (user === undefined) return err('invalid-jid');
  if (room.affiliationOf(user) === 'owner' && affiliation !== 'owner' && room.ownerCount() <= 1) return err('last-owner');
  applyAffiliationChange(engine, room, user, affiliation, changeContext(options.actor, options.reason));
  await engine.persist(room);
  return ok(undefined);
}

export async function setAffiliations(
  engine: MucEngine, address: Jid | string, changes: readonly AffiliationChange[], actor: ServiceActor | undefined,
): Promise<Result<number, RoomNotFound | AffiliationBatchProblem>> {
  const room = findRoom(engine, address);
  if (room === undefined) return err('room-not-found');
  const plan = planAffiliationBatch(room, changes, engine.options.muc_max_affiliations);
  if (!plan.ok) return plan;
  let changed = 0;
  for (const change of plan.value) {
    // An entry that changes nothing is skipped (no presence, no event): a backend may send the
    // whole list again and again.
    if (room.affiliationOf(change.jid) === change.affiliation) continue;
    applyAffiliationChange(engine, room, change.jid, change.affiliation, changeContext(actor, change.reason));
    changed += 1;
  }
  if (changed > 0) {
    engine.ctx.logger.info({ room: room.address, entries: plan.value.length, changed }, 'affiliations set by the service');
    await engine.persist(room);
  }
  return ok(changed);
}
