/** XEP-0280 §4 and §5: a client turns carbons on or off for its own session. */
import { StanzaError } from '../../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../../server/hooks/index.js';
import { iqResult } from '../../server/xml/index.js';
import type { CarbonsState } from './carbons-state.js';

/**
 * Answers `<enable/>` or `<disable/>`. Only the account's own resources may ask, for themselves
 * (§4.1, §5.1: `not-allowed` for anyone else).
 */
export function answerCarbonsToggle(state: CarbonsState, event: StanzaEvent, enable: boolean): true | StanzaError {
  if (!isOwnRequest(event) || event.origin === undefined) return StanzaError.cancel('not-allowed');
  state.set(event.origin, enable);
  event.origin.logger.debug({ carbons: enable }, enable ? 'carbons enabled' : 'carbons disabled');
  event.origin.send(iqResult(event.stanza));
  return true;
}
