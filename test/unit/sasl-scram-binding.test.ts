import { describe, test, expect, beforeAll } from '@jest/globals';
import type { AccountStore } from '../../server/accounts/index.js';
import type { SaslStep } from '../../server/sasl/index.js';
import type { ChannelBindingType, SaslContext } from '../../server/sasl/types.js';
import { ScramClient, type ClientHash } from '../helpers/scram-client.js';
import { challengeData, failureCondition, saslContext, startSession, testAccounts } from '../helpers/sasl-test-context.js';

const EXPORTER = Buffer.from('tls-exporter bytes of this connection');
const END_POINT = Buffer.from('certificate hash');
let accounts: AccountStore;

beforeAll(async () => {
  accounts = await testAccounts();
});

/** A TLS stream able to give the listed binding types. */
function tlsContext(available: Partial<Record<ChannelBindingType, Buffer>>, extra: Partial<SaslContext> = {}): SaslContext {
  return saslContext(accounts, { channelBinding: (type) => available[type], ...extra });
}

async function run(mechanism: string, client: ScramClient, context: SaslContext): Promise<SaslStep> {
  const session = startSession(mechanism, context);
  const first = await session.step(client.first());
  if (first.kind !== 'challenge') return first;
  return session.step(client.final(challengeData(first)));
}

describe.each<[string, ClientHash]>([['SCRAM-SHA-1-PLUS', 'sha1'], ['SCRAM-SHA-256-PLUS', 'sha256']])('%s', (mechanism, hash) => {
  const client = (options: { gs2Header?: string; bindingData?: Buffer; username?: string } = {}): ScramClient =>
    new ScramClient({ hash, username: 'alice', password: 'wonderland', gs2Header: 'p=tls-exporter,,', bindingData: EXPORTER, ...options });

  test('succeeds when the client binds to the same tls-exporter data', async () => {
    const c = client();
    expect(await run(mechanism, c, tlsContext({ 'tls-exporter': EXPORTER })))
      .toEqual({ kind: 'success', username: 'alice', data: Buffer.from(c.expectedServerFinal()) });
  });

  test('fails when the client sees other binding data (a man in the middle)', async () => {
    const result = await run(mechanism, client({ bindingData: Buffer.from('another TLS connection') }),
      tlsContext({ 'tls-exporter': EXPORTER }));
    expect(failureCondition(result)).toBe('not-authorized');
  });

  test('tls-server-end-point is accepted when the stream provides it', async () => {
    const c = client({ gs2Header: 'p=tls-server-end-point,,', bindingData: END_POINT });
    expect((await run(mechanism, c, tlsContext({ 'tls-exporter': EXPORTER, 'tls-server-end-point': END_POINT }))).kind)
      .toBe('success');
  });

  test.each([
    ['binding type the stream cannot provide', 'p=tls-server-end-point,,'],
    ['unknown binding type', 'p=tls-unique,,'],
    ['no binding (n)', 'n,,'],
    ['no binding (y)', 'y,,'],
  ])('%s is malformed-request', async (_label, gs2Header) => {
    expect(failureCondition(await run(mechanism, client({ gs2Header }), tlsContext({ 'tls-exporter': EXPORTER }))))
      .toBe('malformed-request');
  });

  test('without binding data on the stream, p=tls-exporter is malformed-request', async () => {
    expect(failureCondition(await run(mechanism, client(), tlsContext({})))).toBe('malformed-request');
  });

  test('authzid in the gs2 header is part of the bound data', async () => {
    const c = client({ gs2Header: 'p=tls-exporter,a=alice@localhost,' });
    expect((await run(mechanism, c, tlsContext({ 'tls-exporter': EXPORTER }))).kind).toBe('success');
  });
});

describe('downgrade protection (RFC 5802 §6)', () => {
  const client = (gs2Header: string): ScramClient =>
    new ScramClient({ hash: 'sha256', username: 'alice', password: 'wonderland', gs2Header });

  test('y while the server offers -PLUS is refused', async () => {
    const result = await run('SCRAM-SHA-256', client('y,,'), tlsContext({ 'tls-exporter': EXPORTER }));
    expect(failureCondition(result)).toBe('not-authorized');
  });

  test('y is fine when the stream has no binding to offer', async () => {
    expect((await run('SCRAM-SHA-256', client('y,,'), tlsContext({}))).kind).toBe('success');
  });

  test('y is fine when -PLUS was not offered (disabled)', async () => {
    const context = tlsContext({ 'tls-exporter': EXPORTER }, { plusOffered: false });
    expect((await run('SCRAM-SHA-256', client('y,,'), context)).kind).toBe('success');
  });

  test('n is fine even when binding is available', async () => {
    expect((await run('SCRAM-SHA-256', client('n,,'), tlsContext({ 'tls-exporter': EXPORTER }))).kind).toBe('success');
  });
});

describe('authorization identity', () => {
  const client = (gs2Header: string): ScramClient =>
    new ScramClient({ hash: 'sha1', username: 'alice', password: 'wonderland', gs2Header });

  test.each(['n,a=alice@localhost,', 'n,a=Alice@LOCALHOST,'])('%s is the user itself: accepted', async (gs2Header) => {
    expect((await run('SCRAM-SHA-1', client(gs2Header), tlsContext({}))).kind).toBe('success');
  });

  test.each(['n,a=bob@localhost,', 'n,a=alice@example.org,', 'n,a=alice@localhost/phone,', 'n,a=localhost,', 'n,a=@@,'])(
    '%s is invalid-authzid', async (gs2Header) => {
      expect(failureCondition(await run('SCRAM-SHA-1', client(gs2Header), tlsContext({})))).toBe('invalid-authzid');
    });
});
