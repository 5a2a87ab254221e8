import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingLogger } from '../helpers/recording-logger.js';
import { createTestCertificate, generateSelfSigned, loadOrCreateCertificates } from '../../server/tls/index.js';
import type { PemPair } from '../../server/tls/tls-material.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});


function sans(pem: string): string[] {
  return (new X509Certificate(pem).subjectAltName ?? '').split(', ').sort();
}

async function writePair(path: string, pair: PemPair): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(`${path}.crt`, pair.cert);
  await writeFile(`${path}.key`, pair.key);
}

describe('self-signed certificate', () => {
  test('is generated once with a SAN for every host and localhost, key mode 0600, and reused', async () => {
    const dataPath = join(dir, 'gen-data');
    const hosts = ['example.org', 'conference.example.org'];
    const { logger, lines } = recordingLogger();
    const first = await loadOrCreateCertificates({ hosts, dataPath, configDir: dir, certificates: 'no-such-dir', logger });
    if (!first.ok) throw new Error(first.error);
    const crt = await readFile(join(dataPath, 'certs', 'salon-selfsigned.crt'), 'utf8');
    expect(sans(crt)).toEqual(['DNS:conference.example.org', 'DNS:example.org', 'DNS:localhost']);
    expect((await stat(join(dataPath, 'certs', 'salon-selfsigned.key'))).mode & 0o777).toBe(0o600);
    const x509 = new X509Certificate(crt);
    const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(360);
    expect(days).toBeLessThanOrEqual(366);
    expect(first.value.pemFor('conference.example.org').cert).toBe(crt);
    expect(lines.filter((l) => l.msg === 'TLS certificate').map((l) => [l.host, l.generated]))
      .toEqual([['example.org', true], ['conference.example.org', true]]);

    const again = await loadOrCreateCertificates({ hosts, dataPath, configDir: dir, logger });
    if (!again.ok) throw new Error(again.error);
    expect(again.value.pemFor('example.org').cert).toBe(crt);
    expect(lines.at(-1)?.generated).toBe(false);
  });

  test('is regenerated when a host is no longer covered', async () => {
    const dataPath = join(dir, 'regen-data');
    const { logger } = recordingLogger();
    const before = await loadOrCreateCertificates({ hosts: ['a.example'], dataPath, configDir: dir, logger });
    const after = await loadOrCreateCertificates({ hosts: ['a.example', 'b.example'], dataPath, configDir: dir, logger });
    if (!before.ok || !after.ok) throw new Error('certificate creation failed');
    expect(after.value.pemFor('b.example').cert).not.toBe(before.value.pemFor('a.example').cert);
    expect(sans(after.value.pemFor('b.example').cert)).toEqual(['DNS:a.example', 'DNS:b.example', 'DNS:localhost']);
  });

  test('uses EC P-256 signed with SHA-256', async () => {
    const pair = await generateSelfSigned(['ec.example']);
    const x509 = new X509Certificate(pair.cert);
    expect(x509.publicKey.asymmetricKeyType).toBe('ec');
    expect(x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    // ecdsa-with-SHA256 (1.2.840.10045.4.3.2), DER-encoded, names the signature algorithm.
    expect(x509.raw.includes(Buffer.from('06082a8648ce3d040302', 'hex'))).toBe(true);
  });
});

describe('configured certificates', () => {
  let a: PemPair;
  let parent: PemPair;
  beforeAll(async () => {
    a = await generateSelfSigned(['a.example']);
    parent = await generateSelfSigned(['example.net', '*.example.net']);
  });

  test('ssl paths (relative to the config directory) win over the directory; the rest falls back', async () => {
    const configDir = join(dir, 'conf1');
    await writePair(join(configDir, 'explicit', 'a'), a);
    await writePair(join(configDir, 'certs', 'rooms.example.net'), a); // wrong cert, but ssl wins for a.example only
    await writePair(join(configDir, 'certs', 'example.net'), parent);
    const { logger, lines } = recordingLogger();
    const material = await loadOrCreateCertificates({
      hosts: ['a.example', 'chat.example.net', 'other.example'],
      dataPath: join(dir, 'conf1-data'),
      configDir,
      certificates: 'certs',
      ssl: (host) => (host === 'a.example' ? { certificate: 'explicit/a.crt', key: 'explicit/a.key' } : undefined),
      logger,
    });
    if (!material.ok) throw new Error(material.error);
    expect(material.value.pemFor('a.example').cert).toBe(a.cert);
    expect(material.value.pemFor('chat.example.net').cert).toBe(parent.cert); // parent file covers *.example.net
    expect(sans(material.value.pemFor('other.example').cert)).toContain('DNS:other.example');
    const used = Object.fromEntries(lines.filter((l) => l.msg === 'TLS certificate').map((l) => [l.host, l.certificate]));
    expect(used).toEqual({
      'a.example': join(configDir, 'explicit', 'a.crt'),
      'chat.example.net': join(configDir, 'certs', 'example.net.crt'),
      'other.example': join(dir, 'conf1-data', 'certs', 'salon-selfsigned.crt'),
    });
  });

  test('a missing or mismatched ssl file is an error naming the host', async () => {
    const configDir = join(dir, 'conf2');
    const { logger } = recordingLogger();
    const missing = await loadOrCreateCertificates({
      hosts: ['a.example'], dataPath: join(dir, 'conf2-data'), configDir, logger,
      ssl: { certificate: 'nope.crt', key: 'nope.key' },
    });
    expect(missing.ok ? '' : missing.error).toMatch(/^host "a\.example": ssl: cannot read .*nope\.crt/);
    await writeFile(join(dir, 'mismatch.crt'), a.cert);
    await writeFile(join(dir, 'mismatch.key'), parent.key);
    const mismatched = await loadOrCreateCertificates({
      hosts: ['a.example'], dataPath: join(dir, 'conf2-data'), configDir, logger,
      ssl: { certificate: join(dir, 'mismatch.crt'), key: join(dir, 'mismatch.key') },
    });
    expect(mismatched.ok ? '' : mismatched.error).toMatch(/does not match the certificate/);
  });
});

describe('test certificates', () => {
  test('are cached per process and cover the hosts', async () => {
    const first = await createTestCertificate(['t.example', 'muc.t.example']);
    const second = await createTestCertificate(['muc.t.example', 't.example']);
    expect(second.pemFor('t.example').cert).toBe(first.pemFor('t.example').cert);
    expect(sans(first.pemFor('muc.t.example').cert)).toEqual(['DNS:localhost', 'DNS:muc.t.example', 'DNS:t.example']);
    expect(first.hosts()).toEqual(['t.example', 'muc.t.example']);
  });
});
