/**
 * Finding the room a kick names (spec §2.4 rows 6a–7). `muc` is parsed and normalised like any
 * JID, so `Snuggery@Rooms.Example.NET` finds the room (the original looked rooms up by the raw
 * string); messages carry the normalised node and domain. An endpoint on a MUC service kicks only
 * from that service (the original let one secret kick from every MUC service of the server).
 */
import type { MucService } from '../../index.js';
import { err, ok, type Result } from '../../../server/errors/index.js';
import { parseJid, type Jid } from '../../../server/jid/index.js';

export const INVALID_MUC_JID = 'Invalid MUC JID';

/** How the plugin sees the server's hosts. */
export interface MucDirectory {
  hasHost(domain: string): boolean;
  /** The MUC service on a host, if that host is one. */
  mucService(domain: string): MucService | undefined;
  /** The MUC service this endpoint is confined to; undefined when enabled on another kind of host. */
  readonly ownService: string | undefined;
}

export interface KickTarget {
  readonly service: MucService;
  readonly room: Jid;
}

export interface TargetProblem {
  readonly status: 400 | 404;
  readonly message: string;
}

const notFound = (why: string): TargetProblem => ({ status: 404, message: `MUC not found: ${why}` });

/** The service and room for `muc`, or the answer explaining why there is none. */
export function findKickTarget(directory: MucDirectory, muc: string): Result<KickTarget, TargetProblem> {
  const parsed = parseJid(muc);
  if (!parsed.ok || parsed.value.local === '' || parsed.value.resource !== '') return err({ status: 400, message: INVALID_MUC_JID });
  const room = parsed.value;
  const { domain, local } = room;
  if (!directory.hasHost(domain)) return err(notFound(`No such host: ${domain}`));
  const service = directory.mucService(domain);
  if (service === undefined) return err(notFound(`Host '${domain}' is not a MUC service`));
  if (directory.ownService !== undefined && directory.ownService !== domain) {
    return err(notFound(`Host '${domain}' is not served by this endpoint`));
  }
  if (service.room(room) === undefined) return err(notFound(`No MUC '${local}' found for host: ${domain}`));
  return ok({ service, room });
}
