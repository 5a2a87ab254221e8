/**
 * XEP-0425 (Moderated Message Retraction) requests, in both forms clients send:
 *
 * - version 0.3 (`urn:xmpp:message-moderate:1`, with XEP-0424 `urn:xmpp:message-retract:1`):
 *   `<moderate id='stanza-id'><retract/><reason/></moderate>` directly in the iq;
 * - version 0.2 (`urn:xmpp:message-moderate:0` inside XEP-0422 `urn:xmpp:fasten:0`), which
 *   Conversations, Gajim and slixmpp still send:
 *   `<apply-to id='stanza-id'><moderate><retract/><reason/></moderate></apply-to>`.
 *
 * Either way the id is the room's XEP-0359 `<stanza-id/>` of the message (its archive id), and
 * retraction is the only action defined. Prosody's mod_muc_moderation accepts both forms too.
 */
import type { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';

/** The namespaces of both versions. */
export const MODERATION_NS = {
  moderate: 'urn:xmpp:message-moderate:1',
  retract: 'urn:xmpp:message-retract:1',
  moderateLegacy: 'urn:xmpp:message-moderate:0',
  retractLegacy: 'urn:xmpp:message-retract:0',
  fasten: 'urn:xmpp:fasten:0',
} as const;

/**
 * The longest id looked up: archive ids are 22 characters; anything far longer names no message
 * and is not worth a storage key.
 */
export const MAX_MODERATED_ID_LENGTH = 64;

/** A moderator's request to retract one message. */
export interface ModerationRequest {
  /** The room's stanza id (archive id) of the message. */
  readonly stanzaId: string;
  /** The moderator's reason, if given. */
  readonly reason: string | undefined;
}

function readRequest(id: unknown, moderate: Element, retractNs: string): Result<ModerationRequest, StanzaError> {
  if (typeof id !== 'string' || id === '') return err(StanzaError.modify('bad-request', { text: 'The message to moderate needs an id' }));
  if (moderate.getChild('retract', retractNs) === undefined) {
    return err(StanzaError.cancel('feature-not-implemented', { text: 'Only retraction is supported' }));
  }
  const reason = moderate.getChildText('reason', moderate.attrs.xmlns as string) ?? undefined;
  return ok({ stanzaId: id, reason: reason === undefined || reason === '' ? undefined : reason });
}

/** Reads a version 0.3 request (`iq-set/bare/urn:xmpp:message-moderate:1:moderate`). */
export function parseModerate(iq: Element): Result<ModerationRequest, StanzaError> {
  const moderate = iq.getChild('moderate', MODERATION_NS.moderate);
  if (moderate === undefined) return err(StanzaError.modify('bad-request'));
  return readRequest(moderate.attrs.id, moderate, MODERATION_NS.retract);
}

/**
 * Reads a version 0.2 request (`iq-set/bare/urn:xmpp:fasten:0:apply-to`). Undefined when the
 * fastening is not a moderation (another XEP-0422 use, not this module's to answer).
 */
export function parseApplyTo(iq: Element): Result<ModerationRequest, StanzaError> | undefined {
  const applyTo = iq.getChild('apply-to', MODERATION_NS.fasten);
  const moderate = applyTo?.getChild('moderate', MODERATION_NS.moderateLegacy);
  if (applyTo === undefined || moderate === undefined) return undefined;
  return readRequest(applyTo.attrs.id, moderate, MODERATION_NS.retractLegacy);
}
