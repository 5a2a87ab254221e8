/**
 * User Avatar (XEP-0084) items and vCard photos (XEP-0153) in terms of each other, for the
 * conversion of XEP-0398. Pure. Both name an image by the SHA-1 of its bytes in hexadecimal, so
 * one image has the same id on both sides, and a conversion that finds the other side already
 * showing that id has nothing to do (which is what keeps the two directions from echoing).
 */
import { Element } from 'ltx';
import { imageHash, vcardImage, type VCardPhoto } from '../vcard/index.js';

export const AVATAR_DATA = 'urn:xmpp:avatar:data';
export const AVATAR_METADATA = 'urn:xmpp:avatar:metadata';
/** XEP-0398 §3: the account's disco#info says the server converts. */
export const CONVERSION_FEATURE = 'urn:xmpp:pep-vcard-conversion:0';

/** An image with its XEP-0084 id (hex SHA-1 of the bytes). */
export interface Avatar extends VCardPhoto {
  readonly id: string;
  readonly bytes: number;
}

/**
 * What a vCard says of the avatar: an image, `'none'` (no `<PHOTO/>`, or an empty one), or
 * undefined when the photo is only a URL (`<EXTVAL/>`), whose bytes, hence id, are unknown: such
 * a vCard is not converted, as Prosody does.
 */
export function avatarOfVCard(vcard: Element): Avatar | 'none' | undefined {
  const found = vcardImage(vcard);
  if (found === 'none') return 'none';
  if (found === 'external') return undefined;
  const { image } = found;
  // XEP-0084 §4.2.1.4 requires a type; PNG is what §4.1 says every avatar should also be offered as.
  return { id: imageHash(image), bytes: image.length, type: found.type || 'image/png', base64: image.toString('base64') };
}

/** The `<item id='hash'><data/></item>` of the data node (XEP-0084 §4.1). */
export function dataItem(avatar: Avatar): Element {
  return new Element('item', { id: avatar.id }).c('data', { xmlns: AVATAR_DATA }).t(avatar.base64).root();
}

/** The metadata item announcing the image (XEP-0084 §4.2), or an empty `<metadata/>`: avatar disabled (§4.3). */
export function metadataItem(avatar: Avatar | undefined): Element {
  if (avatar === undefined) return new Element('item', { id: 'current' }).c('metadata', { xmlns: AVATAR_METADATA }).root();
  return new Element('item', { id: avatar.id })
    .c('metadata', { xmlns: AVATAR_METADATA })
    .c('info', { id: avatar.id, bytes: String(avatar.bytes), type: avatar.type })
    .root();
}

/** The image a metadata item announces: its id and type, or `'none'` (no item, or no `<info/>`). */
export function announcedImage(item: Element | undefined): { id: string; type: string } | 'none' {
  const infos = item?.getChild('metadata', AVATAR_METADATA)?.getChildren('info') ?? [];
  // The image published in the data node: the one `<info/>` without a URL elsewhere (§4.2.1.5).
  const info = infos.find((candidate) => candidate.attrs.url === undefined && typeof candidate.attrs.id === 'string');
  if (info === undefined) return 'none';
  return { id: info.attrs.id as string, type: (info.attrs.type as string | undefined) ?? 'image/png' };
}

/** The base64 bytes of a data item, whitespace removed. */
export function dataOf(item: Element): string {
  return (item.getChildText('data', AVATAR_DATA) ?? '').replace(/\s+/g, '');
}
