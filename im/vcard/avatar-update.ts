/**
 * The avatar hash in a user's available presence (XEP-0153 §4.1, with the server's part from
 * XEP-0398 §4): the server puts the hash of the stored vCard photo in presence its client sent
 * without one, so contacts of clients that never fetch the vCard (most of them today) still
 * learn of the avatar. Pure: it changes the presence element it is given.
 */
import { Element } from 'ltx';
import { VCARD_UPDATE } from './vcard-namespaces.js';

/** Whether the client already said what its avatar is (`<photo/>`, empty or not): kept as sent. */
export function hasClientPhoto(presence: Element): boolean {
  return presence.getChild('x', VCARD_UPDATE)?.getChild('photo') !== undefined;
}

/**
 * Adds `<x xmlns='vcard-temp:x:update'><photo>hash</photo></x>` to an available presence, or
 * fills in an `<x/>` that has no `<photo/>` (XEP-0398 §4: such an element MUST be completed; it
 * only says "not ready yet", and the server is). A `<photo/>` the client sent, empty (§4.3, "no
 * image") or with a hash, is left alone. `hash` is `''` for a vCard without image. Returns
 * whether the hash was added.
 */
export function addAvatarHash(presence: Element, hash: string): boolean {
  if (presence.attrs.type !== undefined || hasClientPhoto(presence)) return false;
  let update = presence.getChild('x', VCARD_UPDATE);
  if (update === undefined) {
    update = new Element('x', { xmlns: VCARD_UPDATE });
    presence.cnode(update);
  }
  const photo = new Element('photo');
  if (hash !== '') photo.t(hash);
  update.cnode(photo);
  return true;
}

/**
 * Replaces the hash the server added to `presence` by `hash` (undefined: the update element is
 * removed, there is nothing to announce). Returns whether the presence changed.
 */
export function replaceAvatarHash(presence: Element, hash: string | undefined): boolean {
  const update = presence.getChild('x', VCARD_UPDATE);
  const current = update?.getChild('photo')?.getText();
  if (current === hash) return false;
  if (update !== undefined) presence.remove(update);
  if (hash !== undefined) addAvatarHash(presence, hash);
  return true;
}
