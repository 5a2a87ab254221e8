/**
 * XEP-0153 §3.1: the avatar hash announced in presence is the SHA-1 of the image bytes (not of
 * their base64 text), in lower-case hexadecimal (§3.1 note: the historical use). Pure.
 */
import { createHash } from 'node:crypto';
import type { Element } from 'ltx';

/**
 * The hash of the vCard's `<PHOTO><BINVAL/>`, `''` when the vCard has no image, and undefined
 * when the image is only a URL (`<EXTVAL/>`, which XEP-0153 §4.5 advises against): its bytes are
 * not here to hash, so nothing is announced on the user's behalf.
 */
export function avatarHashOf(vcard: Element): string | undefined {
  const photo = vcard.getChild('PHOTO');
  if (photo === undefined) return '';
  // XEP-0153 §4.6: whitespace (line breaks every 76 characters) is not part of the data.
  const base64 = (photo.getChildText('BINVAL') ?? '').replace(/\s+/g, '');
  if (base64 !== '') {
    const image = Buffer.from(base64, 'base64');
    return image.length === 0 ? '' : createHash('sha1').update(image).digest('hex');
  }
  return (photo.getChildText('EXTVAL') ?? '').trim() === '' ? '' : undefined;
}
