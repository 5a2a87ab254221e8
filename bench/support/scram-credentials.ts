/**
 * SCRAM-SHA-1 credentials as a server stores them (RFC 5802 §3): StoredKey and ServerKey derived
 * from the password, a salt and an iteration count, so bench accounts can be written straight
 * into another server's storage without running its own (slower) registration per account.
 */
import { createHash, createHmac, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export interface ScramSha1Credentials {
  storedKey: Buffer;
  serverKey: Buffer;
}

/** PBKDF2 runs in libuv's thread pool, so many accounts can be derived at once. */
export async function scramSha1Credentials(password: string, salt: string | Buffer, iterations: number): Promise<ScramSha1Credentials> {
  const salted = await pbkdf2Async(password, salt, iterations, 20, 'sha1');
  const clientKey = createHmac('sha1', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha1').update(clientKey).digest(),
    serverKey: createHmac('sha1', salted).update('Server Key').digest(),
  };
}
