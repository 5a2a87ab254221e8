/** Resource binding (RFC 6120 §7): server-generated resources, conflicts replace the older session. */
import { Element } from 'ltx';
import { StanzaError, StreamError } from '../errors/index.js';
import { Jid, normaliseResource } from '../jid/index.js';
import { lazyChild, type Logger } from '../log/index.js';
import { randomText } from '../sasl/index.js';
import { errorReply, iqResult, NS } from '../xml/index.js';
import type { C2sEnvironment } from './c2s-environment.js';
import { C2sSession, type SessionOutput } from './c2s-session.js';

/**
 * XML white space around the requested resource (pretty-printed XML) is not part of it; other
 * Unicode spaces and invisible characters are, and the OpaqueString rules judge them.
 */
const XML_SPACE_AROUND = /^[ \t\r\n]+|[ \t\r\n]+$/g;

export interface BindRequest {
  request: Element;
  host: string;
  username: string;
  output: SessionOutput & { logger: Logger };
  logger: Logger;
}

/** Handles the bind iq; returns the new session, or undefined after answering with an error. */
export function bindResource(env: C2sEnvironment, bind: BindRequest): C2sSession | undefined {
  const { request, output } = bind;
  const bindElement = request.getChild('bind', NS.bind);
  if (request.attrs.type !== 'set' || bindElement === undefined) {
    // RFC 6120 §7.2: only the bind request is acceptable before a resource is bound.
    output.close(new StreamError('not-authorized', 'Bind a resource first'));
    return undefined;
  }
  const requested = bindElement.getChildText('resource')?.replace(XML_SPACE_AROUND, '') ?? '';
  const resource = requested === '' ? generatedResource() : normaliseResource(requested);
  if (resource === undefined || resource === '') {
    // §7.7.2.1: a resource that cannot be processed → bad-request. RFC 7622 §3.4 makes a resource
    // PRECIS forbids (bidi controls, zero-width and other invisible characters) one of them.
    // §7.7.1 would also let the server substitute a generated resource, but silently replacing
    // what the client asked for hides the problem; the error names it and the stream stays up.
    const reply = errorReply(request, StanzaError.modify('bad-request', { text: 'Invalid resource' }));
    if (reply !== undefined) output.write(reply.toString());
    return undefined;
  }
  const jid = new Jid(bind.username, bind.host, resource);
  const older = env.sessions.get(jid);
  // §7.7.2.2: we let the new session win; the older one gets a `conflict` stream error first,
  // so its departure is processed (unavailable presence, MUC exits) before the new one binds.
  if (older !== undefined) older.close(new StreamError('conflict', 'Replaced by new connection'));
  const session = new C2sSession(env.nextId(), jid, output, lazyChild(bind.logger, () => ({ jid: jid.toString() })), env.stats);
  env.sessions.add(session);
  const result = iqResult(request, new Element('bind', { xmlns: NS.bind }).c('jid').t(jid.toString()).root());
  delete result.attrs.from;
  output.write(result.toString());
  session.logger.info('resource bound');
  const host = env.userHost(bind.host);
  if (host !== undefined) host.hooks.notify('resource-bind', { session, host });
  return session;
}

function generatedResource(): string {
  return `salon-${randomText(6, 'hex')}`;
}
