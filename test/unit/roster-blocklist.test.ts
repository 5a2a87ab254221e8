import { describe, test, expect } from '@jest/globals';
import { parse } from 'ltx';
import { Jid, parseJid } from '../../server/jid/index.js';
import { blockingPushElement, blocklistElement, isBlocked, parseBlockingCommand } from '../../roster/blocklist.js';

function jid(value: string): Jid {
  const parsed = parseJid(value);
  if (!parsed.ok) throw new Error(`bad test JID ${value}`);
  return parsed.value;
}

describe('parseBlockingCommand (XEP-0191)', () => {
  test('a block lists normalised JIDs once each, in order', () => {
    const result = parseBlockingCommand(parse(
      "<block xmlns='urn:xmpp:blocking'><item jid='Romeo@Example.NET'/><item jid='example.org'/><item jid='romeo@example.net'/></block>",
    ));
    expect(result).toEqual({ ok: true, value: { action: 'block', jids: ['romeo@example.net', 'example.org'] } });
  });

  test('an unblock with items names them; an empty unblock means all (§3.4)', () => {
    expect(parseBlockingCommand(parse("<unblock xmlns='urn:xmpp:blocking'><item jid='a@b/c'/></unblock>")))
      .toEqual({ ok: true, value: { action: 'unblock', jids: ['a@b/c'] } });
    expect(parseBlockingCommand(parse("<unblock xmlns='urn:xmpp:blocking'/>")))
      .toEqual({ ok: true, value: { action: 'unblock', jids: [] } });
  });

  test.each([
    ['an empty block (§3.3)', "<block xmlns='urn:xmpp:blocking'/>"],
    ['an item without jid', "<block xmlns='urn:xmpp:blocking'><item/></block>"],
    ['another element', "<blocklist xmlns='urn:xmpp:blocking'/>"],
    ['the wrong namespace', "<block xmlns='urn:example'><item jid='a@b'/></block>"],
  ])('%s is bad-request', (_case, xml) => {
    const result = parseBlockingCommand(parse(xml));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.condition).toBe('bad-request');
  });

  test('items in another namespace are not items', () => {
    const result = parseBlockingCommand(parse("<block xmlns='urn:xmpp:blocking'><item xmlns='urn:example' jid='a@b'/></block>"));
    expect(result.ok).toBe(false);
  });

  test('a malformed JID is jid-malformed', () => {
    const result = parseBlockingCommand(parse("<block xmlns='urn:xmpp:blocking'><item jid='a@b'/><item jid='@example.net'/></block>"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ condition: 'jid-malformed', type: 'modify' });
  });
});

describe('isBlocked (XEP-0191 §3.2, XEP-0016 §2.1 order)', () => {
  const sender = jid('romeo@example.net/orchard');

  test.each([
    ['the full JID', 'romeo@example.net/orchard', true],
    ['the bare JID', 'romeo@example.net', true],
    ['domain/resource', 'example.net/orchard', true],
    ['the domain', 'example.net', true],
    ['another resource', 'romeo@example.net/balcony', false],
    ['another user', 'tybalt@example.net', false],
    ['another domain/resource', 'example.net/balcony', false],
    ['a parent domain', 'net', false],
    ['a subdomain', 'a.example.net', false],
  ])('an entry for %s: %s', (_case, entry, blocked) => {
    expect(isBlocked(new Set([entry]), sender)).toBe(blocked);
  });

  test('a bare sender is matched by its bare JID and domain, not by a full-JID entry', () => {
    const bare = jid('romeo@example.net');
    expect(isBlocked(new Set(['romeo@example.net']), bare)).toBe(true);
    expect(isBlocked(new Set(['example.net']), bare)).toBe(true);
    expect(isBlocked(new Set(['romeo@example.net/orchard']), bare)).toBe(false);
  });

  test('a domain sender (a server or component)', () => {
    expect(isBlocked(new Set(['conference.example.net']), jid('conference.example.net'))).toBe(true);
    expect(isBlocked(new Set(['example.net']), jid('conference.example.net'))).toBe(false);
    expect(isBlocked(new Set(), sender)).toBe(false);
  });
});

describe('blocking elements', () => {
  test('the blocklist result and the pushes', () => {
    const list = blocklistElement(['a@b', 'c']);
    expect(list.toString()).toBe('<blocklist xmlns="urn:xmpp:blocking"><item jid="a@b"/><item jid="c"/></blocklist>');
    expect(blockingPushElement({ action: 'unblock', jids: [] }).toString()).toBe('<unblock xmlns="urn:xmpp:blocking"/>');
    expect(blockingPushElement({ action: 'block', jids: ['a@b'] }).toString()).toBe('<block xmlns="urn:xmpp:blocking"><item jid="a@b"/></block>');
  });
});
