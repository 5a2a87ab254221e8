/**
 * The `<body/>` wrapper of BOSH (XEP-0124 §4, XEP-0206): parsing a request's body into its
 * attributes and payload elements, and writing response bodies. A payload element in the BOSH
 * namespace (no namespace of its own) is taken as `jabber:client`, as Prosody does. The parser
 * hands the body over in canonical form (DESIGN.md §1), so a prefix the client declared on
 * `<body/>` is already resolved in every payload element: each leaves the wrapper self-contained.
 */
import type { Element } from 'ltx';
import { err, ok, type Result, type StreamError } from '../../server/errors/index.js';
import { escapeAttr, moveToNamespace, NS, parseXmlFragment, type ParsedElement, type XmlLimits } from '../../server/xml/index.js';
import { parseRid } from './rid-window.js';

export interface BoshRequestBody {
  readonly rid: number;
  readonly sid: string | undefined;
  readonly attrs: Readonly<Record<string, string | undefined>>;
  /** `type='terminate'`: the client ends the session (XEP-0124 §13). */
  readonly terminate: boolean;
  /** `xmpp:restart='true'` (XEP-0206 §5). */
  readonly restart: boolean;
  /** `xmpp:version` (XEP-0206 §4). */
  readonly xmppVersion: string | undefined;
  readonly payload: readonly ParsedElement[];
}

export type BodyProblem =
  | { readonly kind: 'bad-request'; readonly text: string }
  | { readonly kind: 'stream-error'; readonly error: StreamError };

/** The value of an attribute in the `urn:xmpp:xbosh` namespace (canonical form declares its prefix on `<body/>`). */
function xboshAttribute(attrs: Record<string, string | undefined>, local: string): string | undefined {
  for (const name in attrs) {
    if (name.startsWith('xmlns:') && attrs[name] === NS.xbosh) return attrs[`${name.slice(6)}:${local}`];
  }
  return undefined;
}

function payloadOf(body: Element): ParsedElement[] | undefined {
  const payload: ParsedElement[] = [];
  for (const child of body.children) {
    if (typeof child === 'string') {
      if (child.trim() !== '') return undefined;
      continue;
    }
    // Canonical form: a child states its namespace when it is not the body's.
    const uri = (child.attrs.xmlns as string | undefined) ?? NS.bosh;
    child.parent = null;
    if (uri === NS.bosh || uri === '') moveToNamespace(child, NS.client);
    payload.push({ element: child, uri: child.attrs.xmlns as string, local: child.name });
  }
  return payload;
}

/** Parses a request body; `limits.maxStanzaBytes` bounds the whole body. */
export function parseBoshBody(text: string, limits: XmlLimits): Result<BoshRequestBody, BodyProblem> {
  // The wrapper is one level above the stanzas the depth limit is meant for.
  const parsed = parseXmlFragment(text, { ...limits, maxDepth: limits.maxDepth + 1 });
  if (!parsed.ok) {
    const error = parsed.error;
    return err(error.condition === 'policy-violation' ? { kind: 'stream-error', error } : { kind: 'bad-request', text: error.text ?? 'Malformed XML' });
  }
  const { element: body, uri, local } = parsed.value;
  if (uri !== NS.bosh || local !== 'body') return err({ kind: 'bad-request', text: 'Expected <body/> in the BOSH namespace' });
  const attrs = body.attrs as Record<string, string | undefined>;
  const rid = parseRid(attrs.rid);
  if (rid === undefined) return err({ kind: 'bad-request', text: 'Missing or invalid rid' });
  const payload = payloadOf(body);
  if (payload === undefined) return err({ kind: 'bad-request', text: 'Text outside of stanzas' });
  return ok({
    rid,
    sid: attrs.sid,
    attrs,
    terminate: attrs.type === 'terminate',
    restart: xboshAttribute(attrs, 'restart') === 'true',
    xmppVersion: xboshAttribute(attrs, 'version'),
    payload,
  });
}

/** A response `<body/>` with its attributes and serialised payload. */
export function bodyXml(attrs: Readonly<Record<string, string | undefined>>, payload: string): string {
  let xml = `<body xmlns='${NS.bosh}'`;
  for (const name in attrs) {
    const value = attrs[name];
    if (value !== undefined) xml += ` ${name}='${escapeAttr(value)}'`;
  }
  return payload === '' ? `${xml}/>` : `${xml}>${payload}</body>`;
}

/** A terminating `<body/>` (XEP-0124 §17), with a condition when the session ended in error. */
export function terminateXml(condition: string | undefined, payload = ''): string {
  return bodyXml({ type: 'terminate', condition }, payload);
}
