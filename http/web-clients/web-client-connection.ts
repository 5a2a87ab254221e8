/**
 * What the two HTTP transports for web clients, WebSocket (RFC 7395) and BOSH (XEP-0206), share
 * as the `StreamConnection` under the shared `XmppStream`: TLS only from the outer https/wss (no
 * STARTTLS, no channel binding), input parsed one message or request payload at a time (no parser
 * to reset on a stream restart), input limits held here for that parsing, and outgoing elements
 * framed as separate documents that declare `jabber:client` themselves.
 */
import { outboundText, type OutboundXml } from '../../server/session/index.js';
import type { StreamConnection } from '../../server/stream/index.js';
import type { XmlLimits } from '../../server/xml/index.js';
import { withClientNamespace } from './client-namespace.js';

const STREAM_ERROR_START = '<stream:error';

export abstract class WebClientConnection implements StreamConnection {
  readonly remoteAddress: string;
  readonly secure: boolean;
  /** RFC 7395 §3.9 (and so for BOSH): TLS comes from wss:// or https://, never from STARTTLS. */
  readonly canStartTls = false;
  /** `WebSocket` or `BOSH`, for the error of a STARTTLS attempt. */
  readonly #transport: string;
  #limits: XmlLimits;

  protected constructor(transport: string, remoteAddress: string, secure: boolean, limits: XmlLimits) {
    this.#transport = transport;
    this.remoteAddress = remoteAddress;
    this.secure = secure;
    this.#limits = { ...limits };
  }

  /** The limits the stream currently wants on its input (they rise after authentication). */
  get inputLimits(): XmlLimits {
    return this.#limits;
  }

  setInputLimits(limits: Partial<XmlLimits>): void {
    this.#limits = { ...this.#limits, ...limits };
  }

  /** Each message or payload is parsed on its own: nothing is carried over to a restarted stream. */
  resetInput(): void {
    return undefined;
  }

  startTls(): Promise<void> {
    return Promise.reject(new Error(`STARTTLS is not available over ${this.#transport}`));
  }

  /** No channel binding: a proxy may terminate TLS, and browsers cannot use it anyway. */
  channelBinding(): Buffer | undefined {
    return undefined;
  }

  abstract readonly bufferedBytes: number;
  abstract openStream(attrs: Record<string, string>): void;
  abstract write(xml: OutboundXml): boolean;
  abstract closeStream(): void;
  abstract pauseInput(): void;
  abstract resumeInput(): void;
  abstract destroy(): void;
}

/**
 * One outgoing element as its own document (RFC 7395 §3.3.3, XEP-0206 §5): its text, with
 * `jabber:client` declared when it is a stanza.
 */
export function framedText(outbound: OutboundXml): string {
  return withClientNamespace(outboundText(outbound));
}

/** The stream writes its error right before it closes (RFC 6120 §4.9.1.1). */
export function isStreamErrorText(xml: string): boolean {
  return xml.startsWith(STREAM_ERROR_START);
}
