/**
 * Bringing the service in line with the rooms the config declares (`muc_rooms`, on start and on
 * reload): a missing room is created; an existing one gets the declared configuration keys that
 * differ (through `MucService.configure`, so occupants see the status codes), the declared
 * affiliations that differ (one `setAffiliations` batch; affiliations the config does not name
 * stay) and the declared subject. Rooms the config does not name are left alone, unless
 * `muc_rooms_destroy_undeclared` is on: then every persistent room it does not name is destroyed.
 * One info line tells what was created, changed and destroyed.
 */
import type { MucEngine } from '../muc-engine.js';
import type { AffiliationChange, MucService } from '../muc-service.js';
import type { Room } from '../events.js';
import { diffConfig, type RoomConfig } from '../configuration/room-config.js';
import { setSubjectAsRoom } from '../delivery/room-subject.js';
import type { PlannedRoom } from './declared-room-plan.js';

/** What one reconciliation did, by room JID. */
export interface ReconcileReport {
  readonly created: string[];
  readonly changed: string[];
  readonly destroyed: string[];
  /** Rooms that could not be brought in line (the reason is logged). */
  readonly failed: string[];
}

/** The declared keys whose value differs from the room's. */
function configDifferences(room: Room, declared: Partial<RoomConfig>): Partial<RoomConfig> {
  const wanted: RoomConfig = { ...room.config, ...declared, presencebroadcast: [...(declared.presencebroadcast ?? room.config.presencebroadcast)] };
  const differences: Record<string, unknown> = {};
  for (const change of diffConfig({ ...room.config, presencebroadcast: [...room.config.presencebroadcast] }, wanted)) {
    differences[change.field] = wanted[change.field];
  }
  // `maxusers: undefined` (unlimited) must survive as a key for `configure`.
  if ('maxusers' in differences && differences.maxusers === undefined) differences.maxusers = null;
  return differences as Partial<RoomConfig>;
}

function affiliationDifferences(room: Room, planned: PlannedRoom): AffiliationChange[] {
  return planned.affiliations.filter(([jid, affiliation]) => room.affiliation(jid) !== affiliation)
    .map(([jid, affiliation]) => ({ jid, affiliation }));
}

function fail(engine: MucEngine, report: ReconcileReport, planned: PlannedRoom, problem: unknown): void {
  engine.ctx.logger.error({ room: planned.jid.toString(), problem }, 'declared room could not be reconciled');
  report.failed.push(planned.jid.toString());
}

async function createRoom(service: MucService, planned: PlannedRoom, report: ReconcileReport, engine: MucEngine): Promise<void> {
  const created = await service.createRoom(planned.jid, {
    config: planned.config,
    affiliations: Object.fromEntries(planned.affiliations.map(([jid, affiliation]) => [jid.toString(), affiliation])),
    ...(planned.subject !== undefined ? { subject: planned.subject } : {}),
  });
  if (created.ok) report.created.push(planned.jid.toString());
  else fail(engine, report, planned, created.error);
}

/** Brings one existing room in line; true when anything changed. */
async function reconcileRoom(engine: MucEngine, service: MucService, room: Room, planned: PlannedRoom, report: ReconcileReport): Promise<boolean> {
  const config = configDifferences(room, planned.config);
  if (Object.keys(config).length > 0) {
    const configured = await service.configure(planned.jid, config);
    if (!configured.ok) {
      fail(engine, report, planned, configured.error);
      return false;
    }
  }
  const affiliations = affiliationDifferences(room, planned);
  if (affiliations.length > 0) {
    const set = await service.setAffiliations(planned.jid, affiliations);
    if (!set.ok) {
      fail(engine, report, planned, set.error);
      return Object.keys(config).length > 0;
    }
  }
  const chatRoom = engine.rooms.get(planned.jid);
  const subjectChanges = planned.subject !== undefined && chatRoom !== undefined && (chatRoom.subject?.text ?? '') !== planned.subject;
  if (subjectChanges) setSubjectAsRoom(engine, chatRoom, planned.subject!);
  return Object.keys(config).length > 0 || affiliations.length > 0 || subjectChanges;
}

/** Reconciles the service with `planned` (see the file comment) and logs what it did. */
export async function reconcileDeclaredRooms(
  engine: MucEngine, service: MucService, planned: readonly PlannedRoom[], destroyUndeclared: boolean,
): Promise<ReconcileReport> {
  const report: ReconcileReport = { created: [], changed: [], destroyed: [], failed: [] };
  for (const room of planned) {
    const existing = service.room(room.jid);
    if (existing === undefined) await createRoom(service, room, report, engine);
    else if (await reconcileRoom(engine, service, existing, room, report)) report.changed.push(room.jid.toString());
  }
  if (destroyUndeclared) {
    const declared = new Set(planned.map((room) => room.jid.toString()));
    for (const room of service.rooms()) {
      const jid = room.jid.toString();
      if (declared.has(jid) || !room.config.persistentroom) continue;
      const destroyed = await service.destroy(room.jid, { reason: 'This room is no longer offered' });
      if (destroyed.ok) report.destroyed.push(jid);
    }
  }
  engine.ctx.logger.info({ ...report }, 'declared rooms reconciled');
  return report;
}
