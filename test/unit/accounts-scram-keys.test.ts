import { describe, test, expect } from '@jest/globals';
import { createHash, createHmac } from 'node:crypto';
import { prepareSaslString, type ScramHash } from '../../server/accounts/index.js';
import { deriveScramCredentials } from '../../server/accounts/scram-keys.js';

/** RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256) example exchanges for user/pencil. */
const VECTORS: { hash: ScramHash; node: string; salt: string; authMessage: string; proof: string; serverSignature: string }[] = [
  {
    hash: 'SHA-1',
    node: 'sha1',
    salt: 'QSXCR+Q6sek8bf92',
    authMessage: 'n=user,r=fyko+d2lbbFgONRv9qkxdawL,'
      + 'r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096,'
      + 'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j',
    proof: 'v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    serverSignature: 'rmF9pqV8S7suAoZWja4dJRkFsKQ=',
  },
  {
    hash: 'SHA-256',
    node: 'sha256',
    salt: 'W22ZaJ0SNY7soEsUEjb6gQ==',
    authMessage: 'n=user,r=rOprNGfwEbeRWgbNEkqO,'
      + 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,'
      + 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
    proof: 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    serverSignature: '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
  },
];

describe('SCRAM key derivation', () => {
  for (const vector of VECTORS) {
    test(`${vector.hash}: keys from "pencil" match the RFC example exchange`, async () => {
      const credentials = await deriveScramCredentials(vector.hash, 'pencil', {
        salt: Buffer.from(vector.salt, 'base64'),
        iterations: 4096,
      });
      expect(credentials.salt).toBe(vector.salt);
      expect(credentials.iterations).toBe(4096);
      // ServerSignature = HMAC(ServerKey, AuthMessage) is the RFC's v= value.
      const serverKey = Buffer.from(credentials.serverKey, 'base64');
      expect(createHmac(vector.node, serverKey).update(vector.authMessage).digest('base64')).toBe(vector.serverSignature);
      // ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), and H(ClientKey) = StoredKey.
      const storedKey = Buffer.from(credentials.storedKey, 'base64');
      const signature = createHmac(vector.node, storedKey).update(vector.authMessage).digest();
      const proof = Buffer.from(vector.proof, 'base64');
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ (signature[i] ?? 0)));
      expect(createHash(vector.node).update(clientKey).digest().equals(storedKey)).toBe(true);
    });
  }

  test('a different password gives different keys', async () => {
    const salt = Buffer.from('QSXCR+Q6sek8bf92', 'base64');
    const a = await deriveScramCredentials('SHA-1', 'pencil', { salt, iterations: 4096 });
    const b = await deriveScramCredentials('SHA-1', 'pencil!', { salt, iterations: 4096 });
    expect(b.storedKey).not.toBe(a.storedKey);
    expect(b.serverKey).not.toBe(a.serverKey);
  });

  test('new credentials get a fresh 16-byte salt and 10000 iterations by default', async () => {
    const a = await deriveScramCredentials('SHA-256', 'secret');
    const b = await deriveScramCredentials('SHA-256', 'secret');
    expect(Buffer.from(a.salt, 'base64')).toHaveLength(16);
    expect(a.iterations).toBe(10_000);
    expect(a.salt).not.toBe(b.salt);
    expect(a.storedKey).not.toBe(b.storedKey);
  });

  test('an invalid iteration count is a programming error', async () => {
    await expect(async () => deriveScramCredentials('SHA-1', 'x', { iterations: 0 })).rejects.toThrow(RangeError);
  });
});

describe('SASLprep', () => {
  test('maps non-ASCII spaces to a space and soft hyphens to nothing (RFC 4013 §3)', () => {
    expect(prepareSaslString('a\u00A0b')).toBe('a b');
    expect(prepareSaslString('I\u00ADX')).toBe('IX');
    expect(prepareSaslString('\u00AA')).toBe('a');
    expect(prepareSaslString('\u2168')).toBe('IX');
  });

  test('rejects prohibited characters and bad bidi strings', () => {
    expect(prepareSaslString('\u0007')).toBeUndefined();
    expect(prepareSaslString('\u0627\u0031')).toBeUndefined();
  });

  test('unassigned code points are allowed in queries only', () => {
    const unassigned = '\u0221'; // unassigned in Unicode 3.2 (RFC 3454 table A.1)
    expect(prepareSaslString(unassigned)).toBeUndefined();
    expect(prepareSaslString(unassigned, { allowUnassigned: true })).toBe(unassigned);
  });
});
