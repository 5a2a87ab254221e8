/**
 * The API the `vcard` module offers other modules of its host (under `vcardServiceKey`): read a
 * user's vCard, replace only its photo, and hear of vCards the user's own clients set. The
 * `vcard_legacy` module converts avatars between the vCard and PEP through it (XEP-0398).
 */
import { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { serviceKey } from '../../server/modules/index.js';
import { serializeElement } from '../../server/xml/index.js';
import { VCARD_TEMP } from './vcard-namespaces.js';
import type { VCardStore } from './vcard-store.js';

/** An image as a vCard `<PHOTO/>` carries it: its media type and its bytes in base64. */
export interface VCardPhoto {
  readonly type: string;
  readonly base64: string;
}

/** Called after a client of `username` replaced its vCard (not after `replacePhoto`). */
export type VCardSetListener = (username: string, vcard: Element) => void;

export interface VCardService {
  /** The user's vCard, undefined when none is stored. */
  read(username: string): Promise<Element | undefined>;
  /**
   * Replaces the `<PHOTO/>` of the user's vCard (creating the vCard if needed) by `photo`, or
   * removes it (undefined); presence announces the new hash. A vCard that would pass
   * `vcard_max_size` is not stored (`not-acceptable`).
   */
  replacePhoto(username: string, photo: VCardPhoto | undefined): Promise<Result<void, StanzaError>>;
  /** Adds a listener of vCards set by clients; the returned function removes it. */
  onVCardSet(listener: VCardSetListener): () => void;
}

export const vcardServiceKey = serviceKey<VCardService>('vcard');

export interface VCardServiceDeps {
  readonly store: VCardStore;
  readonly maxSize: number;
  readonly listeners: Set<VCardSetListener>;
  /** The vCard changed: presence announces its hash again. */
  changed(username: string): void;
}

/**
 * `vcard` with its `<PHOTO/>` replaced by `photo` (or removed); the other fields stay as they
 * are. The fields move into the new element: `vcard` is not to be used afterwards.
 */
export function withPhoto(vcard: Element | undefined, photo: VCardPhoto | undefined): Element {
  const next = new Element('vCard', { xmlns: VCARD_TEMP });
  for (const child of vcard?.children ?? []) {
    if (typeof child === 'string') next.t(child);
    else if (child.name !== 'PHOTO') next.cnode(child);
  }
  if (photo !== undefined) {
    const element = next.c('PHOTO');
    element.c('TYPE').t(photo.type);
    element.c('BINVAL').t(photo.base64);
  }
  return next;
}

export function createVCardService(deps: VCardServiceDeps): VCardService {
  const { store, maxSize, listeners } = deps;
  return {
    read: (username) => store.get(username),
    async replacePhoto(username, photo) {
      const vcard = withPhoto(await store.get(username), photo);
      const xml = serializeElement(vcard);
      if (Buffer.byteLength(xml) > maxSize) {
        return err(StanzaError.modify('not-acceptable', { text: `The vCard would be larger than ${maxSize} bytes` }));
      }
      await store.set(username, vcard, xml);
      deps.changed(username);
      return ok(undefined);
    },
    onVCardSet(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Tells every listener that a client set `vcard`; a failing listener does not stop the others. */
export function vcardSet(listeners: ReadonlySet<VCardSetListener>, username: string, vcard: Element, onError: (error: unknown) => void): void {
  for (const listener of listeners) {
    try {
      listener(username, vcard);
    } catch (error) {
      onError(error);
    }
  }
}
