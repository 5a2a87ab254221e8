/**
 * XEP-0077 in-band registration of a new account before authentication (off unless
 * `allow_registration`). Password changes of logged-in users are the `register` module's job.
 * Refusals follow Prosody's mod_register_ibr and mod_register_limits, so clients see the same
 * conditions from both servers.
 */
import { Element } from 'ltx';
import { StanzaError } from '../errors/index.js';
import { normaliseLocal } from '../jid/index.js';
import { errorReply, iqResult, NS } from '../xml/index.js';
import type { C2sEnvironment } from './c2s-environment.js';

interface Writer {
  write(xml: string): boolean;
}

/** The stream a registration arrives on. */
export interface RegistrationPeer {
  host: string;
  /** Whether the stream is encrypted (STARTTLS done, or Direct TLS). */
  secure: boolean;
  /** The client's address, for the per-address throttle. */
  address: string;
}

export async function handleRegistration(env: C2sEnvironment, peer: RegistrationPeer, iq: Element, out: Writer): Promise<void> {
  const { host } = peer;
  const query = iq.getChild('query', NS.register);
  const type = iq.attrs.type as string | undefined;
  if (query === undefined || (type !== 'get' && type !== 'set')) {
    return reply(out, iq, StanzaError.cancel('service-unavailable'));
  }
  if (env.policy(host).requireEncryption && !peer.secure) {
    // The feature is not offered before TLS (XEP-0077 §3, RFC 6120 §5.3.1: TLS first when it is
    // required), and a password must not cross the wire in clear. Prosody's mod_register_ibr
    // answers policy-violation (RFC 6120 §8.3.3.12: a local service policy) and keeps the stream.
    return reply(out, iq, StanzaError.modify('policy-violation', { text: 'Encryption is required' }));
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
  const requested = query.getChildText('username');
  const password = query.getChildText('password');
  if (requested === null || password === null || requested === '' || password === '') {
    return reply(out, iq, StanzaError.modify('not-acceptable', { text: 'Username and password are required' }));
  }
  // §3.1: a username the server cannot accept → not-acceptable (RFC 7622 §3.3 localpart rules).
  const username = normaliseLocal(requested);
  if (username === undefined || username === '') {
    return reply(out, iq, StanzaError.modify('not-acceptable', { text: 'The requested username is invalid' }));
  }
  if (!env.registrationThrottle.take(peer.address)) {
    // Prosody's mod_register_limits: a wait-type policy-violation; every attempt that reaches
    // this point counts, so probing for taken names (conflict) is throttled too.
    env.logger.info({ host, address: peer.address }, 'in-band registration throttled');
    return reply(out, iq, StanzaError.wait('policy-violation', { text: 'Too many registrations from this IP address recently' }));
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
