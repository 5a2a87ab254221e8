/**
 * The client's `<enable/>` and `<a/>` on a bound stream (XEP-0198 §3, §4): answered here, over
 * the stream's own connection, so the stream only dispatches.
 */
import type { Element } from 'ltx';
import { StreamError } from '../../errors/index.js';
import type { C2sSession } from '../c2s-session.js';
import { parseH } from './h-counter.js';
import type { ResumptionRegistry } from './resumption-registry.js';
import { enabledXml, failedXml, handledCountTooHighXml } from './sm-xml.js';
import { StreamManagement } from './stream-management.js';

/** What these answers need from the stream. */
export interface SmStreamSide {
  /** Writes a non-stanza element to the connection (uncounted). */
  writeElement(xml: string): void;
  close(error: StreamError, appSpecific?: string): void;
}

/** `<a h/>`: an impossible count ends the stream (§4: `handled-count-too-high`). */
export function handleAck(sm: StreamManagement, element: Element, stream: SmStreamSide): void {
  const h = parseH(element.attrs.h as string | undefined);
  if (h === undefined) return stream.close(new StreamError('undefined-condition', 'Invalid h in acknowledgement'));
  const problem = sm.acknowledged(h);
  if (problem === undefined) return;
  if (problem.kind === 'too-high') {
    stream.close(new StreamError('undefined-condition', 'You acknowledged more stanzas than the server sent'), handledCountTooHighXml(problem.h, problem.sent));
  } else {
    stream.close(new StreamError('undefined-condition', 'You acknowledged fewer stanzas than you had acknowledged before'));
  }
}

/** `<enable/>` once bound; `registry` is undefined where the `smacks` module is not loaded. */
export function handleEnable(registry: ResumptionRegistry | undefined, session: C2sSession, element: Element, stream: SmStreamSide): void {
  if (registry === undefined) return stream.writeElement(failedXml('service-unavailable'));
  if (session.streamManagement !== undefined) return stream.writeElement(failedXml('unexpected-request'));
  const wantsResume = element.attrs.resume === 'true' || element.attrs.resume === '1';
  const resumable = wantsResume && registry.options.hibernationMs > 0;
  const sm = new StreamManagement(session, resumable ? registry.track(session) : undefined, registry.options);
  // §5: `max` is the client's preferred longest resumption time; the server's own bound wins.
  const asked = parseH(element.attrs.max as string | undefined);
  if (asked !== undefined && asked > 0) sm.hibernationMs = Math.min(sm.hibernationMs, asked * 1000);
  sm.allowOvercount(session.writtenBeforeStreamManagement);
  session.enableStreamManagement(sm);
  stream.writeElement(enabledXml(sm.id, Math.floor(sm.hibernationMs / 1000)));
  session.logger.debug({ resumable }, 'stream management enabled');
}
