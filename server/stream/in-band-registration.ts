/**
 * XEP-0077 in-band registration of a new account before authentication (off unless
 * `allow_registration`). Password changes of logged-in users are the `register` module's job.
 */
import { Element } from 'ltx';
import { StanzaError } from '../errors/index.js';
import { NS } from '../xml/ns.js';
import { errorReply, iqResult } from '../xml/reply.js';
import type { C2sEnvironment } from './c2s-environment.js';

interface Writer {
  write(xml: string): boolean;
}

export async function handleRegistration(env: C2sEnvironment, host: string, iq: Element, out: Writer): Promise<void> {
  const query = iq.getChild('query', NS.register);
  const type = iq.attrs.type as string | undefined;
  if (query === undefined || (type !== 'get' && type !== 'set')) {
    return reply(out, iq, StanzaError.cancel('service-unavailable'));
  }
  if (type === 'get') {
    // §3.1: the fields needed to register.
    const form = new Element('query', { xmlns: NS.register });
    form.c('instructions').t('Choose a username and password to register with this server.');
    form.c('username');
    form.c('password');
    out.write(strip(iqResult(iq, form)).toString());
    return;
  }
  if (query.getChild('remove') !== undefined) return reply(out, iq, StanzaError.auth('not-authorized'));
  const username = query.getChildText('username');
  const password = query.getChildText('password');
  if (username === null || password === null || username === '' || password === '') {
    return reply(out, iq, StanzaError.modify('not-acceptable', { text: 'Username and password are required' }));
  }
  const accounts = env.accounts(host);
  if (accounts === undefined) return reply(out, iq, StanzaError.cancel('service-unavailable'));
  const created = await accounts.create(username, password);
  if (!created.ok) {
    // §3.1: an existing username → conflict; an unacceptable one → not-acceptable.
    const error = created.error === 'exists' ? StanzaError.cancel('conflict') : StanzaError.modify('not-acceptable');
    return reply(out, iq, error);
  }
  env.logger.info({ host, user: username }, 'account registered in-band');
  const hostObject = env.userHost(host);
  if (hostObject !== undefined) hostObject.hooks.notify('user-created', { username, host: hostObject });
  out.write(strip(iqResult(iq)).toString());
}

function reply(out: Writer, iq: Element, error: StanzaError): void {
  const answer = errorReply(iq, error);
  if (answer !== undefined) out.write(strip(answer).toString());
}

/** The client has no address yet: replies carry neither `to` nor `from`. */
function strip(stanza: Element): Element {
  delete stanza.attrs.to;
  delete stanza.attrs.from;
  return stanza;
}
