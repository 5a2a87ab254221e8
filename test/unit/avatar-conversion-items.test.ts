/** XEP-0398 conversion between vCard photos and User Avatar (XEP-0084) items, as pure functions. */
import { createHash } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { announcedImage, avatarOfVCard, dataItem, metadataItem } from '../../im/avatar-conversion/avatar-items.js';
import { avatarHashOf } from '../../im/vcard/photo-hash.js';
import { withPhoto } from '../../im/vcard/vcard-service.js';
import { parseXmlFragment, serializeElement } from '../../server/xml/index.js';

function element(text: string): Element {
  const parsed = parseXmlFragment(text, { maxStanzaBytes: 65_536, maxDepth: 32, maxAttributes: 32 });
  if (!parsed.ok) throw new Error(String(parsed.error));
  return parsed.value.element;
}

const IMAGE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]);
const ID = createHash('sha1').update(IMAGE).digest('hex');
const vcard = (inner: string): Element => element(`<vCard xmlns='vcard-temp'>${inner}</vCard>`);

describe('avatarOfVCard', () => {
  test('the id is the SHA-1 of the bytes, the same as the presence hash; whitespace in BINVAL is not data', () => {
    const wrapped = IMAGE.toString('base64').replace(/(.{4})/g, '$1\n ');
    const card = vcard(`<PHOTO><TYPE>image/gif</TYPE><BINVAL>${wrapped}</BINVAL></PHOTO>`);
    expect(avatarOfVCard(card)).toEqual({ id: ID, bytes: IMAGE.length, type: 'image/gif', base64: IMAGE.toString('base64') });
    expect(avatarHashOf(card)).toBe(ID);
  });

  test('no PHOTO or an empty one: none; a URL only: not convertible; no TYPE: image/png', () => {
    expect(avatarOfVCard(vcard('<FN>A</FN>'))).toBe('none');
    expect(avatarOfVCard(vcard('<PHOTO><BINVAL> </BINVAL></PHOTO>'))).toBe('none');
    expect(avatarOfVCard(vcard('<PHOTO><EXTVAL>https://example.org/a.png</EXTVAL></PHOTO>'))).toBeUndefined();
    expect(avatarOfVCard(vcard(`<PHOTO><BINVAL>${IMAGE.toString('base64')}</BINVAL></PHOTO>`))).toMatchObject({ type: 'image/png' });
  });
});

describe('User Avatar items', () => {
  const avatar = { id: ID, bytes: IMAGE.length, type: 'image/png', base64: IMAGE.toString('base64') };

  test('data and metadata items carry the id, bytes and type; disabled metadata has no <info/>', () => {
    expect(serializeElement(dataItem(avatar))).toBe(`<item id="${ID}"><data xmlns="urn:xmpp:avatar:data">${avatar.base64}</data></item>`);
    expect(announcedImage(metadataItem(avatar))).toEqual({ id: ID, type: 'image/png' });
    expect(announcedImage(metadataItem(undefined))).toBe('none');
    expect(announcedImage(undefined)).toBe('none');
  });

  test('the image announced is the one without a URL (the one in the data node)', () => {
    const item = element(`<item id='${ID}'><metadata xmlns='urn:xmpp:avatar:metadata'>`
      + `<info id='other' bytes='9' type='image/jpeg' url='https://example.org/a.jpg'/><info id='${ID}' bytes='10' type='image/webp'/></metadata></item>`);
    expect(announcedImage(item)).toEqual({ id: ID, type: 'image/webp' });
  });
});

test('withPhoto replaces or removes the PHOTO and keeps the other fields', () => {
  const replaced = withPhoto(vcard('<FN>A</FN><PHOTO><EXTVAL>x</EXTVAL></PHOTO><NICKNAME>a</NICKNAME>'), { type: 'image/png', base64: 'AAAA' });
  expect(serializeElement(replaced)).toBe('<vCard xmlns="vcard-temp"><FN>A</FN><NICKNAME>a</NICKNAME><PHOTO><TYPE>image/png</TYPE><BINVAL>AAAA</BINVAL></PHOTO></vCard>');
  expect(serializeElement(withPhoto(vcard('<FN>A</FN><PHOTO><BINVAL>AAAA</BINVAL></PHOTO>'), undefined))).toBe('<vCard xmlns="vcard-temp"><FN>A</FN></vCard>');
  expect(serializeElement(withPhoto(undefined, undefined))).toBe('<vCard xmlns="vcard-temp"/>');
});
