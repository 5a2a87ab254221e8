/**
 * XEP-0153 §3.1: the avatar hash announced in presence is the SHA-1 of the image bytes (not of
 * their base64 text), in lower-case hexadecimal (§3.1 note: the historical use). Pure.
 */
import { createHash } from 'node:crypto';
import type { Element } from 'ltx';

/**
 * The image of the vCard's `<PHOTO/>`: its bytes and its `<TYPE/>` (`''` when none is given);
 * `'none'` when the vCard shows no image, `'external'` when the image is only a URL
 * (`<EXTVAL/>`, which XEP-0153 §4.5 advises against), whose bytes are not here.
 */
export function vcardImage(vcard: Element): { readonly image: Buffer; readonly type: string } | 'none' | 'external' {
  const photo = vcard.getChild('PHOTO');
  if (photo === undefined) return 'none';
  // XEP-0153 §4.6: whitespace (line breaks every 76 characters) is not part of the data.
  const base64 = (photo.getChildText('BINVAL') ?? '').replace(/\s+/g, '');
  if (base64 === '') return (photo.getChildText('EXTVAL') ?? '').trim() === '' ? 'none' : 'external';
  const image = Buffer.from(base64, 'base64');
  return image.length === 0 ? 'none' : { image, type: (photo.getChildText('TYPE') ?? '').trim() };
}

/** The SHA-1 of image bytes in lower-case hexadecimal: XEP-0153's hash and XEP-0084's item id alike. */
export function imageHash(image: Buffer): string {
  return createHash('sha1').update(image).digest('hex');
}

/**
 * The hash of the vCard's `<PHOTO><BINVAL/>`, `''` when the vCard has no image, and undefined
 * when the image is only a URL: nothing is announced on the user's behalf.
 */
export function avatarHashOf(vcard: Element): string | undefined {
  const found = vcardImage(vcard);
  if (found === 'none') return '';
  return found === 'external' ? undefined : imageHash(found.image);
}
