import { describe, test, expect } from '@jest/globals';
import {
  clientFinal, clientFirst, deriveKeys, escapeUsername, parseServerFirst, ScramKeyCache, verifyServerFinal,
} from '../../bench/support/scram-client.js';

describe('SCRAM client', () => {
  test('RFC 5802 §5 example (SCRAM-SHA-1)', async () => {
    const nonce = 'fyko+d2lbbFgONRv9qkxdawL';
    const first = clientFirst('user', nonce);
    expect(first.message).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    const serverFirstText = 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096';
    const serverFirst = parseServerFirst(serverFirstText, nonce)!;
    expect(serverFirst.iterations).toBe(4096);
    const keys = await new ScramKeyCache().keys('SCRAM-SHA-1', 'pencil', serverFirst);
    const final = clientFinal('SCRAM-SHA-1', keys, first.bare, serverFirstText, serverFirst.nonce);
    expect(final.message).toBe('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
    expect(verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=', final.serverSignature)).toBe(true);
    expect(verifyServerFinal('v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=', final.serverSignature)).toBe(false);
  });

  test('RFC 7677 §3 example (SCRAM-SHA-256)', async () => {
    const nonce = 'rOprNGfwEbeRWgbNEkqO';
    const first = clientFirst('user', nonce);
    const serverFirstText = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
    const serverFirst = parseServerFirst(serverFirstText, nonce)!;
    const keys = await new ScramKeyCache().keys('SCRAM-SHA-256', 'pencil', serverFirst);
    const final = clientFinal('SCRAM-SHA-256', keys, first.bare, serverFirstText, serverFirst.nonce);
    expect(final.message).toBe('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=');
    expect(verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=', final.serverSignature)).toBe(true);
  });

  test('refuses a server nonce that does not extend the client nonce, or a bad iteration count', () => {
    expect(parseServerFirst('r=other,s=QSXCR+Q6sek8bf92,i=4096', 'mine')).toBeUndefined();
    expect(parseServerFirst('r=mine123,s=QSXCR+Q6sek8bf92,i=0', 'mine')).toBeUndefined();
    expect(parseServerFirst('r=mine123,s=QSXCR+Q6sek8bf92', 'mine')).toBeUndefined();
  });

  test('derives keys once per password and salt', async () => {
    const cache = new ScramKeyCache();
    const server = { nonce: 'n', salt: Buffer.from('salt'), iterations: 4096 };
    const a = await cache.keys('SCRAM-SHA-1', 'pw', server);
    const b = await cache.keys('SCRAM-SHA-1', 'pw', server);
    const other = await cache.keys('SCRAM-SHA-1', 'pw', { ...server, salt: Buffer.from('pepper') });
    expect(b).toBe(a);
    expect(other.clientKey.equals(a.clientKey)).toBe(false);
    expect(deriveKeys('SCRAM-SHA-1', Buffer.alloc(20)).storedKey).toHaveLength(20);
  });

  test('escapes = and , in user names (RFC 5802 §5.1)', () => {
    expect(escapeUsername('a=b,c')).toBe('a=3Db=2Cc');
  });
});
