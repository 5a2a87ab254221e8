import { describe, expect, test } from '@jest/globals';
import { Jid } from '../../server/jid/index.js';
import { SessionRegistry, type Session } from '../../server/session/index.js';

function session(jid: Jid): Session {
  return { id: jid.toString(), jid } as unknown as Session;
}

describe('SessionRegistry', () => {
  test('finds sessions by full JID and by account, per domain', () => {
    const registry = new SessionRegistry();
    const desk = session(new Jid('alice', 'localhost', 'desk'));
    const phone = session(new Jid('alice', 'localhost', 'phone'));
    const elsewhere = session(new Jid('alice', 'example.org', 'desk'));
    for (const s of [desk, phone, elsewhere]) expect(registry.add(s)).toBeUndefined();
    expect(registry.size).toBe(3);
    expect(registry.get(new Jid('alice', 'localhost', 'phone'))).toBe(phone);
    expect(registry.get(new Jid('alice', 'localhost', 'tablet'))).toBeUndefined();
    expect(registry.ofAccount(new Jid('alice', 'localhost'))).toEqual([desk, phone]);
    expect(registry.ofAccount(new Jid('alice', 'example.org'))).toEqual([elsewhere]);
    expect(registry.ofAccount(new Jid('bob', 'localhost'))).toEqual([]);
    expect(registry.ofAccount(new Jid('', 'localhost'))).toEqual([]);
    expect([...registry.all()]).toEqual([desk, phone, elsewhere]);
  });

  test('a second session on the same full JID replaces the first; removal empties the account', () => {
    const registry = new SessionRegistry();
    const first = session(new Jid('bob', 'localhost', 'r'));
    const second = session(new Jid('bob', 'localhost', 'r'));
    registry.add(first);
    expect(registry.add(second)).toBe(first);
    expect(registry.size).toBe(1);
    expect(registry.remove(first)).toBe(false);
    expect(registry.remove(second)).toBe(true);
    expect(registry.size).toBe(0);
    expect(registry.ofAccount(new Jid('bob', 'localhost'))).toEqual([]);
    expect([...registry.all()]).toEqual([]);
  });
});
