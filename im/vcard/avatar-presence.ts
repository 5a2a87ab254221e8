/**
 * The avatar hash in users' presence, the server's part (XEP-0398 §4 over XEP-0153): added to
 * available presence whose client did not say it, broadcast and directed alike, and announced
 * again, as ejabberd does, when the vCard changes under a broadcast presence the server
 * completed (the client does not know of the hash, so it would not resend its presence).
 */
import type { Element } from 'ltx';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Host } from '../../server/host/index.js';
import { Jid } from '../../server/jid/index.js';
import type { Logger } from '../../server/log/index.js';
import type { SessionLocator } from '../../server/session/index.js';
import { addAvatarHash, hasClientPhoto, replaceAvatarHash } from './avatar-update.js';
import type { VCardStore } from './vcard-store.js';

export class AvatarPresence {
  readonly #store: VCardStore;
  readonly #host: Host;
  readonly #sessions: SessionLocator;
  readonly #logger: Logger;
  /** Broadcast presences the server completed: only those are announced again on a change. */
  readonly #completed = new WeakSet<Element>();

  constructor(store: VCardStore, host: Host, sessions: SessionLocator, logger: Logger) {
    this.#store = store;
    this.#host = host;
    this.#sessions = sessions;
    this.#logger = logger;
  }

  /** `presence/broadcast`. Synchronous when the answer is known without a read (the usual case). */
  broadcast(event: StanzaEvent): Promise<undefined> | undefined {
    return this.#announce(event, true);
  }

  /** `pre-stanza`: directed presence (room joins included, XEP-0398 §4). */
  outgoing(event: StanzaEvent): Promise<undefined> | undefined {
    return event.stanza.name === 'presence' ? this.#announce(event, false) : undefined;
  }

  /** The user's vCard was replaced: sessions whose presence the server completed announce the new hash. */
  vcardChanged(username: string): void {
    const cached = this.#store.cachedAvatar(username);
    if (cached === undefined) return;
    const user = new Jid(username, this.#host.name);
    for (const session of this.#sessions.ofAccount(user)) {
      const presence = session.presence;
      if (presence === undefined || session.closed || !this.#completed.has(presence)) continue;
      if (!replaceAvatarHash(presence, cached.avatar)) continue;
      // RFC 6121 §4.4: a presence update, as if the client had sent it again.
      const sent = this.#host.hooks.fire('presence/broadcast', { stanza: presence, from: session.jid, to: user, origin: session, host: this.#host });
      Promise.resolve(sent).catch((error: unknown) => this.#logger.warn({ err: error }, 'avatar presence update failed'));
    }
  }

  #announce(event: StanzaEvent, broadcast: boolean): Promise<undefined> | undefined {
    const presence = event.stanza;
    if (event.origin === undefined || presence.attrs.type !== undefined || hasClientPhoto(presence)) return undefined;
    const username = event.from.local;
    const cached = this.#store.avatarNow(username);
    if (cached !== undefined) {
      this.#add(presence, cached.avatar, broadcast);
      return undefined;
    }
    return this.#store.avatar(username).then((avatar) => {
      this.#add(presence, avatar, broadcast);
      return undefined;
    });
  }

  #add(presence: Element, avatar: string | undefined, broadcast: boolean): void {
    if (avatar !== undefined) addAvatarHash(presence, avatar);
    // Remembered even with nothing to add yet: a vCard with a photo may come later.
    if (broadcast) this.#completed.add(presence);
  }
}
