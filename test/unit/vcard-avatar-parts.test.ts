/** XEP-0153 hashes of stored vCard photos and the server's part in presence (XEP-0398 §4), as pure functions. */
import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { addAvatarHash, replaceAvatarHash } from '../../im/vcard/avatar-update.js';
import { avatarHashOf } from '../../im/vcard/photo-hash.js';
import { parseXmlFragment, serializeElement } from '../../server/xml/index.js';

function element(text: string): Element {
  const parsed = parseXmlFragment(text, { maxStanzaBytes: 65_536, maxDepth: 32, maxAttributes: 32 });
  if (!parsed.ok) throw new Error(String(parsed.error));
  return parsed.value.element;
}

const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
const HASH = createHash('sha1').update(IMAGE).digest('hex');

describe('avatarHashOf', () => {
  test('hashes the image bytes, whatever whitespace the base64 carries (§4.6)', () => {
    const base64 = IMAGE.toString('base64');
    const wrapped = `\n  ${base64.slice(0, 4)}\r\n${base64.slice(4)}\n`;
    for (const text of [base64, wrapped]) {
      expect(avatarHashOf(element(`<vCard xmlns='vcard-temp'><PHOTO><TYPE>image/png</TYPE><BINVAL>${text}</BINVAL></PHOTO></vCard>`))).toBe(HASH);
    }
  });

  test('no PHOTO, or one with an empty BINVAL, is no image; a URL alone is nothing to announce', () => {
    expect(avatarHashOf(element("<vCard xmlns='vcard-temp'><FN>A</FN></vCard>"))).toBe('');
    expect(avatarHashOf(element("<vCard xmlns='vcard-temp'><PHOTO><BINVAL> </BINVAL></PHOTO></vCard>"))).toBe('');
    expect(avatarHashOf(element("<vCard xmlns='vcard-temp'><PHOTO/></vCard>"))).toBe('');
    expect(avatarHashOf(element("<vCard xmlns='vcard-temp'><PHOTO><EXTVAL>https://example.org/a.png</EXTVAL></PHOTO></vCard>"))).toBeUndefined();
  });
});

describe('addAvatarHash', () => {
  const cases: [string, string, string][] = [
    ['<presence/>', HASH, `<presence><x xmlns="vcard-temp:x:update"><photo>${HASH}</photo></x></presence>`],
    ['<presence/>', '', '<presence><x xmlns="vcard-temp:x:update"><photo/></x></presence>'],
    ["<presence><x xmlns='vcard-temp:x:update'/></presence>", HASH, `<presence><x xmlns="vcard-temp:x:update"><photo>${HASH}</photo></x></presence>`],
    ["<presence><x xmlns='vcard-temp:x:update'><photo/></x></presence>", HASH, '<presence><x xmlns="vcard-temp:x:update"><photo/></x></presence>'],
    ["<presence><x xmlns='vcard-temp:x:update'><photo>abc</photo></x></presence>", HASH, '<presence><x xmlns="vcard-temp:x:update"><photo>abc</photo></x></presence>'],
    ["<presence type='unavailable'/>", HASH, '<presence type="unavailable"/>'],
  ];
  test.each(cases)('%s with hash %j becomes %s', (sent, hash, expected) => {
    const presence = element(sent);
    addAvatarHash(presence, hash);
    expect(serializeElement(presence)).toBe(expected);
  });
});

describe('replaceAvatarHash', () => {
  test('swaps the hash the server added, removes it when there is nothing to announce, and says whether it changed', () => {
    const presence = element('<presence><show>away</show></presence>');
    addAvatarHash(presence, HASH);
    expect(replaceAvatarHash(presence, HASH)).toBe(false);
    expect(replaceAvatarHash(presence, '')).toBe(true);
    expect(serializeElement(presence)).toBe('<presence><show>away</show><x xmlns="vcard-temp:x:update"><photo/></x></presence>');
    expect(replaceAvatarHash(presence, undefined)).toBe(true);
    expect(serializeElement(presence)).toBe('<presence><show>away</show></presence>');
    expect(replaceAvatarHash(presence, HASH)).toBe(true);
    expect(serializeElement(presence)).toBe(`<presence><show>away</show><x xmlns="vcard-temp:x:update"><photo>${HASH}</photo></x></presence>`);
  });
});
