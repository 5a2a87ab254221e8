/** Minimal typings for the xmpp.js packages used by the tests (they ship none). */
declare module '@xmpp/xml' {
  import type { Element } from 'ltx';
  interface XmlParser {
    on(event: 'start' | 'element' | 'end', listener: (el: Element) => void): void;
    on(event: 'error', listener: (error: Error) => void): void;
    write(data: string): void;
  }
  interface XmlFactory {
    (name: string, attrs?: Record<string, string | undefined>, ...children: (Element | string)[]): Element;
    Parser: new () => XmlParser;
  }
  const xml: XmlFactory;
  export default xml;
}

declare module '@xmpp/client' {
  import type { Element } from 'ltx';
  export function xml(name: string, attrs?: Record<string, string | undefined>, ...children: (Element | string)[]): Element;
  export interface XmppClient {
    start(): Promise<{ toString(): string }>;
    stop(): Promise<void>;
    send(stanza: Element): Promise<void>;
    on(event: 'stanza', listener: (stanza: Element) => void): void;
    on(event: 'error' | 'offline' | 'online' | 'status', listener: (...args: unknown[]) => void): void;
    saslFactory: { use(nameOrMechanism: unknown, mechanism?: unknown): void };
    reconnect: { stop(): void };
    iqCaller: { request(stanza: Element, timeout?: number): Promise<Element> };
    socket: unknown;
  }
  export function client(options: Record<string, unknown>): XmppClient;
}
