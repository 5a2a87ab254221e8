/** What an XmlStreamParser reports to the stream above it. */
import type { Element } from 'ltx';
import type { StreamError } from '../errors/index.js';

/** The stream root's start tag. */
export interface StreamOpen {
  /** The name as written, e.g. `stream:stream`. */
  name: string;
  local: string;
  uri: string;
  /** Attributes as written, namespace declarations included. */
  attrs: Record<string, string>;
}

/** Callbacks of an XmlStreamParser, called synchronously from `write()`. */
export interface XmlStreamHandlers {
  /** The stream root opened (e.g. `<stream:stream>`). */
  onStreamOpen(open: StreamOpen): void;
  /**
   * One complete top-level child of the root, in canonical form (`element-builder.ts`): `uri` and
   * `local` are its namespace and local name, the same as `element.attrs.xmlns` and `element.name`.
   */
  onStanza(element: Element, uri: string, local: string): void;
  /** The root closed (`</stream:stream>`). */
  onStreamClose(): void;
  /** A fatal problem; after this the parser emits nothing more until `reset()`. */
  onError(error: StreamError): void;
}
