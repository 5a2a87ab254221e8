/**
 * XEP-0398 both ways: a User Avatar (XEP-0084) published over PEP becomes the vCard's
 * `<PHOTO/>`, so that presence announces its hash (XEP-0153) and vcard-temp readers see it; a
 * vCard with a photo set over vcard-temp is published as User Avatar data and metadata, so that
 * PEP contacts are notified. Each direction first looks whether the other side already shows
 * the same image id and then does nothing: the echo of a conversion ends there.
 */
import type { Element } from 'ltx';
import type { Result, StanzaError } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { Logger } from '../../server/log/index.js';
import type { NodeFields, PepService } from '../pep/index.js';
import type { VCardService } from '../vcard/index.js';
import { announcedImage, AVATAR_DATA, AVATAR_METADATA, avatarOfVCard, dataItem, dataOf, metadataItem, type Avatar } from './avatar-items.js';
import { KeyedQueue } from '../../server/storage/index.js';

/**
 * Nodes the conversion creates are readable by anyone, as Prosody's mod_vcard_legacy creates
 * them: the same photo is public through vcard-temp already (XEP-0054 §3.3). A node that exists
 * keeps the configuration its owner gave it.
 */
const NEW_NODE_FIELDS: NodeFields = new Map([['pubsub#access_model', ['open']]]);
const KEEP_CONFIG: NodeFields = new Map();

export class AvatarConversion {
  readonly #pep: PepService;
  readonly #vcards: VCardService;
  readonly #logger: Logger;
  /**
   * One user's conversions one after the other: each reads one side and writes the other, so two
   * at once for the same user could write an older avatar over a newer one. Users do not wait for
   * each other.
   */
  readonly #queue = new KeyedQueue();

  constructor(pep: PepService, vcards: VCardService, logger: Logger) {
    this.#pep = pep;
    this.#vcards = vcards;
    this.#logger = logger;
  }

  /** Runs `work` after the user's earlier conversions; a failure is logged, never passed on. */
  #serially(owner: Jid, work: () => Promise<void>): Promise<void> {
    return this.#queue.run(owner.local, work).catch((error: unknown) => this.#logger.warn({ err: error }, 'avatar conversion failed'));
  }

  /** A PEP node changed: the metadata node decides what the vCard shows (XEP-0084 §4.2 publishes data first). */
  pepChanged(owner: Jid, node: string): Promise<void> | undefined {
    if (node !== AVATAR_METADATA) return undefined;
    return this.#serially(owner, () => this.#toVCard(owner));
  }

  /** A client set its vCard. */
  vcardSet(owner: Jid, vcard: Element): Promise<void> {
    return this.#serially(owner, () => this.#toPep(owner, vcard));
  }

  /**
   * A resource of the user bound: a vCard photo stored before the conversion ran (or while it
   * was disabled) is published when the user has no User Avatar yet, as Prosody does on login.
   */
  sessionStarted(owner: Jid): Promise<void> {
    return this.#serially(owner, async () => {
      if ((await this.#pep.read(owner, AVATAR_METADATA)) !== undefined) return;
      const vcard = await this.#vcards.read(owner.local);
      const avatar = vcard === undefined ? undefined : avatarOfVCard(vcard);
      if (typeof avatar === 'object') await this.#publish(owner, avatar, false);
    });
  }

  async #toVCard(owner: Jid): Promise<void> {
    const image = announcedImage((await this.#pep.read(owner, AVATAR_METADATA))?.items.at(-1));
    const vcard = await this.#vcards.read(owner.local);
    const shown = vcard === undefined ? 'none' : avatarOfVCard(vcard);
    if (image === 'none') {
      if (shown !== 'none') this.#report(owner, await this.#vcards.replacePhoto(owner.local, undefined));
      return;
    }
    if (typeof shown === 'object' && shown.id === image.id) return;
    const data = (await this.#pep.read(owner, AVATAR_DATA))?.items.find((item) => item.attrs.id === image.id);
    // Metadata for an image not (or no longer) in the data node: nothing to put in the vCard.
    const base64 = data === undefined ? '' : dataOf(data);
    if (base64 === '') return;
    this.#report(owner, await this.#vcards.replacePhoto(owner.local, { type: image.type, base64 }));
  }

  async #toPep(owner: Jid, vcard: Element): Promise<void> {
    const avatar = avatarOfVCard(vcard);
    if (avatar === undefined) return;
    const metadata = await this.#pep.read(owner, AVATAR_METADATA);
    const announced = announcedImage(metadata?.items.at(-1));
    if (avatar === 'none') {
      // XEP-0084 §4.3: contacts learn that the avatar is gone.
      if (announced !== 'none') this.#report(owner, await this.#pep.publish(owner, AVATAR_METADATA, metadataItem(undefined), KEEP_CONFIG));
      return;
    }
    if (announced !== 'none' && announced.id === avatar.id) return;
    await this.#publish(owner, avatar, metadata !== undefined);
  }

  async #publish(owner: Jid, avatar: Avatar, metadataExists: boolean): Promise<void> {
    const data = await this.#pep.read(owner, AVATAR_DATA);
    const published = await this.#pep.publish(owner, AVATAR_DATA, dataItem(avatar), data === undefined ? NEW_NODE_FIELDS : KEEP_CONFIG);
    if (!this.#report(owner, published)) return;
    const announced = await this.#pep.publish(owner, AVATAR_METADATA, metadataItem(avatar), metadataExists ? KEEP_CONFIG : NEW_NODE_FIELDS);
    if (!this.#report(owner, announced)) return;
    // Earlier images nothing announces any more: they would only fill the user's PEP storage.
    const stale = (data?.items ?? []).map((item) => item.attrs.id as string).filter((id) => id !== avatar.id);
    if (stale.length > 0) this.#report(owner, await this.#pep.retract(owner, AVATAR_DATA, stale));
  }

  #report(owner: Jid, result: Result<void, StanzaError>): boolean {
    if (result.ok) return true;
    this.#logger.warn({ user: owner.toString(), err: result.error }, 'avatar conversion refused');
    return false;
  }
}
