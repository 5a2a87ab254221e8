/**
 * In-band registration for logged-in users (XEP-0077): password change (§3.3) and account removal
 * (§3.2). Creating accounts before login is part of stream negotiation (`allow_registration`).
 */
import { Element } from 'ltx';
import { StanzaError, StreamError } from '../../errors/index.js';
import type { StanzaEvent } from '../../hooks/index.js';
import { iqResult, NS } from '../../xml/index.js';
import { defineModule } from '../module-definition.js';
import type { ModuleContext } from '../module-context.js';

export const registerModule = defineModule({
  name: 'register',
  description: 'Password change and account removal for logged-in users (XEP-0077)',
  autoload: true,
  load(ctx) {
    ctx.addFeature(NS.register);
    for (const target of ['host', 'bare'] as const) {
      ctx.hook(`iq-get/${target}/jabber:iq:register:query`, (event) => registrationInfo(ctx, event));
      ctx.hook(`iq-set/${target}/jabber:iq:register:query`, (event) => changeRegistration(ctx, event));
    }
  },
});

/** Only the account's own sessions may touch it; a bare-JID request must be to the own account. */
function ownRequest(event: StanzaEvent): boolean {
  if (event.origin === undefined) return false;
  return event.to.isDomain || event.to.equals(event.from.bare());
}

function registrationInfo(ctx: ModuleContext, event: StanzaEvent): true | StanzaError {
  if (!ownRequest(event)) return StanzaError.cancel('service-unavailable');
  const query = new Element('query', { xmlns: NS.register });
  query.c('registered');
  query.c('username').t(event.from.local);
  query.c('password');
  ctx.send(iqResult(event.stanza, query));
  return true;
}

async function changeRegistration(ctx: ModuleContext, event: StanzaEvent): Promise<true | StanzaError> {
  if (!ownRequest(event)) return StanzaError.cancel('service-unavailable');
  const accounts = ctx.accounts;
  if (accounts === undefined) return StanzaError.cancel('service-unavailable');
  const query = event.stanza.getChild('query', NS.register)!;
  const username = event.from.local;
  if (query.getChild('remove') !== undefined) {
    await accounts.delete(username);
    ctx.logger.info({ user: username }, 'account removed in-band');
    ctx.send(iqResult(event.stanza));
    ctx.host.hooks.notify('user-deleted', { username, host: ctx.host });
    // §3.2: every session of the removed account ends.
    for (const session of [...ctx.sessions.ofAccount(event.from.bare())]) session.close(new StreamError('not-authorized', 'Account removed'));
    return true;
  }
  const claimed = query.getChildText('username');
  const password = query.getChildText('password');
  // §3.3: the username must be the account's own; a missing password is not acceptable.
  if (claimed === null || claimed.toLowerCase() !== username) return StanzaError.modify('bad-request', { text: 'Username does not match' });
  if (password === null || password === '') return StanzaError.modify('not-acceptable', { text: 'A password is required' });
  const changed = await accounts.setPassword(username, password);
  if (!changed.ok) return StanzaError.modify('not-acceptable', { text: 'Password not acceptable' });
  ctx.logger.info({ user: username }, 'password changed in-band');
  ctx.host.hooks.notify('user-password-changed', { username, host: ctx.host });
  ctx.send(iqResult(event.stanza));
  return true;
}
