/**
 * The iq requests of a user archive (XEP-0313), all addressed to the account's own bare JID (or
 * to nobody, RFC 6120 §8.1.1.1): the query and its form (§4), preferences (§6.1) and the
 * #extended archive metadata. Only the account itself may ask: another entity gets `forbidden`.
 */
import { StanzaError } from '../../server/errors/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Logger } from '../../server/log/index.js';
import {
  finElement, metadataElement, parseMamQuery, queryFormElement, resultMessage, resultOrder, storedStanza, unknownIdError,
} from '../../server/mam/index.js';
import type { Session } from '../../server/session/index.js';
import type { ArchiveStore } from '../../server/storage/index.js';
import { NS, iqResult } from '../../server/xml/index.js';
import { parsePrefs, prefsElement } from './archive-prefs.js';
import type { PrefsStore } from './prefs-store.js';

export interface ArchiveQueryDeps {
  readonly store: ArchiveStore;
  readonly prefs: PrefsStore;
  /** `max_archive_query_results`. */
  readonly maxResults: number;
  readonly logger: Logger;
}

type Answer = true | StanzaError;

/** The client session asking about its own archive, or undefined for anyone else. */
function ownSession(event: StanzaEvent): Session | undefined {
  if (event.origin === undefined || !event.from.bare().equals(event.to)) return undefined;
  return event.origin;
}

const FORBIDDEN = (): StanzaError => StanzaError.auth('forbidden', { text: "Only the account's owner may use its archive" });

export class ArchiveQueries {
  readonly #deps: ArchiveQueryDeps;

  constructor(deps: ArchiveQueryDeps) {
    this.#deps = deps;
  }

  /** iq set `<query/>`: results to the asking resource, then `<fin/>` (XEP-0313 §4.2–4.3). */
  async query(event: StanzaEvent): Promise<Answer> {
    const session = ownSession(event);
    if (session === undefined) return FORBIDDEN();
    const parsed = parseMamQuery(event.stanza.getChild('query', NS.mam)!, { maxResults: this.#deps.maxResults });
    if (!parsed.ok) return parsed.error;
    const { archive: query, flipPage, queryId } = parsed.value;
    const archive = event.to.toString();
    const page = await this.#deps.store.query(archive, query);
    if (typeof page === 'string') return unknownIdError(page);
    const to = event.from.toString();
    const from = event.stanza.attrs.to as string | undefined;
    for (const item of resultOrder(page, flipPage)) {
      const stanza = storedStanza(item.stanza);
      if (stanza === undefined) {
        this.#deps.logger.error({ archive, id: item.id }, 'archived stanza is not XML; skipped');
        continue;
      }
      session.send(resultMessage(item, stanza, to, from, queryId));
    }
    session.send(iqResult(event.stanza, finElement(page)));
    return true;
  }

  /** iq get `<query/>`: the form (XEP-0313 §4.1.1). */
  form(event: StanzaEvent): Answer {
    const session = ownSession(event);
    if (session === undefined) return FORBIDDEN();
    session.send(iqResult(event.stanza, queryFormElement()));
    return true;
  }

  /** iq get and set `<prefs/>` (XEP-0313 §6.1): a set answers with the prefs now in force. */
  async prefs(event: StanzaEvent): Promise<Answer> {
    const session = ownSession(event);
    if (session === undefined) return FORBIDDEN();
    const user = event.to.local;
    let prefs = await this.#deps.prefs.get(user);
    if (event.stanza.attrs.type === 'set') {
      const parsed = parsePrefs(event.stanza.getChild('prefs', NS.mam)!, prefs);
      if (typeof parsed === 'string') return StanzaError.modify('bad-request', { text: parsed });
      await this.#deps.prefs.set(user, parsed);
      prefs = parsed;
    }
    session.send(iqResult(event.stanza, prefsElement(prefs)));
    return true;
  }

  /** iq get `<metadata/>`: the archive's first and last items (#extended). */
  async metadata(event: StanzaEvent): Promise<Answer> {
    const session = ownSession(event);
    if (session === undefined) return FORBIDDEN();
    const archive = event.to.toString();
    const [first, last] = await Promise.all([
      this.#deps.store.query(archive, { limit: 1 }),
      this.#deps.store.query(archive, { limit: 1, fromEnd: true }),
    ]);
    const oldest = typeof first === 'string' ? undefined : first.items[0];
    const newest = typeof last === 'string' ? undefined : last.items[0];
    session.send(iqResult(event.stanza, metadataElement(oldest, newest)));
    return true;
  }
}
