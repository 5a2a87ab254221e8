/**
 * What an `XmppStream` needs from the transport under it. TCP/TLS, WebSocket and BOSH each
 * implement this once; the negotiation logic above it is shared (no copy per transport).
 */
import type { OutboundXml } from '../session/index.js';
import type { XmlLimits } from '../xml/index.js';

export type ChannelBindingType = 'tls-exporter';

export interface StreamConnection {
  /** Peer address, for logs and per-IP limits. */
  readonly remoteAddress: string;
  /** The transport is encrypted (or declared secure by config, e.g. `consider_websocket_secure`). */
  readonly secure: boolean;
  /** STARTTLS can be offered on this transport now. */
  readonly canStartTls: boolean;
  /** Writes the opening of a stream (RFC 6120 header or RFC 7395 `<open/>`). */
  openStream(attrs: Record<string, string>): void;
  /** Writes one serialised top-level element, as text or UTF-8 pieces; false once the connection is closed. */
  write(xml: OutboundXml): boolean;
  /** Writes the end of the stream and closes after the buffer drains. */
  closeStream(): void;
  /** Bytes queued but not yet written to the peer (back-pressure, slow-reader bound). */
  readonly bufferedBytes: number;
  /** The peer will open a new stream on this connection (after STARTTLS or SASL success). */
  resetInput(): void;
  setInputLimits(limits: Partial<XmlLimits>): void;
  /**
   * Stops reading input (the stream's input queue is full); what was already read may still be
   * delivered. `resumeInput` reads again. Both may be called on a closed connection.
   */
  pauseInput(): void;
  resumeInput(): void;
  /** Upgrades to TLS in place (STARTTLS); resolves when the handshake completes. */
  startTls(): Promise<void>;
  /** Channel-binding data for SCRAM-*-PLUS, when this TLS connection can provide it. */
  channelBinding(type: ChannelBindingType): Buffer | undefined;
  /** Drops the connection without further output. */
  destroy(): void;
}
