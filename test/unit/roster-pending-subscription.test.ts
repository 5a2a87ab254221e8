/** What is kept of an unanswered subscription request, and the bounds on them (RFC 6121 §3.1.3). */
import { describe, expect, test } from '@jest/globals';
import { parse } from 'ltx';
import {
  DEFAULT_PENDING_LIMITS, PENDING_NICK_MAX_CHARS, checkPendingCapacity, pendingBytes, pendingFromStanza, requestStanza,
} from '../../roster/pending-subscription.js';
import type { PendingSubscription } from '../../roster/index.js';

const AT = '2024-05-01T10:00:00Z';

describe('what is kept of a request', () => {
  test('status and nickname, bounded in characters; nothing else of the stanza', () => {
    const stanza = parse(`<presence type='subscribe' id='x'><status>${'😀'.repeat(2000)}</status>`
      + `<nick xmlns='http://jabber.org/protocol/nick'>${'n'.repeat(1000)}</nick><other xmlns='urn:x'>big</other></presence>`);
    const kept = pendingFromStanza(stanza, AT);
    expect(Object.keys(kept).sort()).toEqual(['nick', 'receivedAt', 'status']);
    expect(Array.from(kept.status ?? '')).toHaveLength(1024);
    expect(kept.nick).toHaveLength(PENDING_NICK_MAX_CHARS);
  });

  test('a status in another namespace is not the status; empty ones are not kept', () => {
    expect(pendingFromStanza(parse("<presence type='subscribe'><status xmlns='urn:x'>no</status></presence>"), AT)).toEqual({ receivedAt: AT });
    expect(pendingFromStanza(parse("<presence type='subscribe'><status/><nick xmlns='http://jabber.org/protocol/nick'/></presence>"), AT)).toEqual({ receivedAt: AT });
  });

  test('redelivered as a subscribe from the contact with what was kept', () => {
    const stanza = requestStanza('bob@localhost', 'alice@localhost', { status: 'hi <3', nick: 'Bob', receivedAt: AT });
    expect(stanza.toString()).toBe("<presence from=\"bob@localhost\" to=\"alice@localhost\" type=\"subscribe\"><status>hi &lt;3</status><nick xmlns=\"http://jabber.org/protocol/nick\">Bob</nick></presence>");
    expect(requestStanza('bob@localhost', 'alice@localhost', { receivedAt: AT }).children).toEqual([]);
  });
});

describe('bounds on unanswered requests', () => {
  const request: PendingSubscription = { status: 'Hi, this is Bob from work; please add me.', receivedAt: AT };

  test('count and bytes; a contact already pending always passes', () => {
    const pending = new Map<string, PendingSubscription>([['a@x', request], ['b@x', request]]);
    expect(checkPendingCapacity(pending, 'c@x', request, { maxRequests: 3, maxBytes: 10_000 }).ok).toBe(true);
    const full = checkPendingCapacity(pending, 'c@x', request, { maxRequests: 2, maxBytes: 10_000 });
    expect(full.ok ? undefined : [full.error.condition, full.error.type]).toEqual(['resource-constraint', 'wait']);
    expect(checkPendingCapacity(pending, 'a@x', request, { maxRequests: 2, maxBytes: 0 }).ok).toBe(true);
    const bytes = pendingBytes('a@x', request) * 3;
    expect(checkPendingCapacity(pending, 'c@x', request, { maxRequests: 10, maxBytes: bytes }).ok).toBe(true);
    expect(checkPendingCapacity(pending, 'c@x', request, { maxRequests: 10, maxBytes: bytes - 1 }).ok).toBe(false);
  });

  test('the shipped bounds hold 200 requests with a sentence of status each, and no more', () => {
    const pending = new Map<string, PendingSubscription>();
    for (let i = 0; i < 199; i++) pending.set(`contact${i}@example.org`, request);
    expect(checkPendingCapacity(pending, 'last@example.org', request, DEFAULT_PENDING_LIMITS).ok).toBe(true);
    pending.set('last@example.org', request);
    expect(checkPendingCapacity(pending, 'one-more@example.org', request, DEFAULT_PENDING_LIMITS).ok).toBe(false);
  });
});
