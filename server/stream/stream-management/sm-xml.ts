/** The XEP-0198 elements this server writes, serialised (the ids and counts need no escaping). */
import { NS } from '../../xml/index.js';

export type SmFailure = 'item-not-found' | 'unexpected-request' | 'service-unavailable' | 'bad-request' | 'undefined-condition';

/** `<failed/>` with a stanza error condition; `h` when the server knows the old session's count (§5). */
export function failedXml(condition: SmFailure, h?: number): string {
  const count = h === undefined ? '' : ` h='${h}'`;
  return `<failed xmlns='${NS.sm}'${count}><${condition} xmlns='${NS.stanzas}'/></failed>`;
}

export function enabledXml(id: string | undefined, maxSeconds: number): string {
  if (id === undefined) return `<enabled xmlns='${NS.sm}'/>`;
  return `<enabled xmlns='${NS.sm}' id='${id}' resume='true' max='${maxSeconds}'/>`;
}

export function resumedXml(previd: string, h: number): string {
  return `<resumed xmlns='${NS.sm}' h='${h}' previd='${previd}'/>`;
}

export function ackXml(h: number): string {
  return `<a xmlns='${NS.sm}' h='${h}'/>`;
}

/** XEP-0198 §4: the application-specific condition of the stream error for an impossible `h`. */
export function handledCountTooHighXml(h: number, sent: number): string {
  return `<handled-count-too-high xmlns='${NS.sm}' h='${h}' send-count='${sent}'/>`;
}
