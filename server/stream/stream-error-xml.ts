/** Serialisation of `<stream:error/>` (RFC 6120 §4.9.2). */
import type { StreamError } from '../errors/index.js';
import { escapeXml, NS } from '../xml/index.js';

/** `appSpecific`: an application-specific condition element (RFC 6120 §4.9.4), already serialised. */
export function streamErrorXml(error: StreamError, framed: boolean, appSpecific = ''): string {
  // Over WebSocket (RFC 7395 §3.6) the prefix is still declared explicitly on the element.
  const open = framed ? `<stream:error xmlns:stream='${NS.stream}'>` : '<stream:error>';
  const text = error.text === undefined ? '' : `<text xmlns='${NS.streams}' xml:lang='en'>${escapeXml(error.text)}</text>`;
  return `${open}<${error.condition} xmlns='${NS.streams}'/>${text}${appSpecific}</stream:error>`;
}
