/**
 * Service discovery (XEP-0030) for a host and its accounts, from what loaded modules registered,
 * so only implemented features are listed. Components on sub-domains of a user host are listed as
 * its items, plus Prosody's `disco_items`.
 */
import { Element, clone } from 'ltx';
import * as z from 'zod';
import { StanzaError } from '../../errors/index.js';
import type { StanzaEvent } from '../../hooks/index.js';
import type { DiscoRegistry } from '../../host/index.js';
import { iqResult, NS } from '../../xml/index.js';
import { defineModule } from '../module-definition.js';

const discoItem = z.union([
  z.tuple([z.string()]),
  z.tuple([z.string(), z.string()]),
]);

/** The `<query/>` of a disco#info result built from a registry. */
export function discoInfoQuery(registry: DiscoRegistry, node?: string): Element {
  const query = new Element('query', node === undefined ? { xmlns: NS.discoInfo } : { xmlns: NS.discoInfo, node });
  for (const identity of registry.identities) {
    const attrs: Record<string, string> = { category: identity.category, type: identity.type };
    if (identity.name !== undefined) attrs.name = identity.name;
    query.c('identity', attrs);
  }
  for (const feature of registry.features) query.c('feature', { var: feature });
  for (const form of registry.forms) query.cnode(clone(form));
  return query;
}

export const discoModule = defineModule({
  name: 'disco',
  description: 'Service discovery (XEP-0030) for the host and its accounts',
  hostKinds: ['user', 'component'],
  autoload: true,
  options: {
    disco_items: z.array(discoItem).default(() => [])
      .describe('Extra items listed in disco#items of the host: [jid] or [jid, name].'),
  },
  load(ctx) {
    ctx.addFeature(NS.discoInfo);
    ctx.addFeature(NS.discoItems);
    if (ctx.host.kind === 'user') {
      ctx.addIdentity({ category: 'server', type: 'im', name: 'Salon' });
      ctx.host.accountDisco.addFeature(NS.discoInfo);
      ctx.host.accountDisco.addFeature(NS.discoItems);
    }
    ctx.hook('iq-get/host/http://jabber.org/protocol/disco#info:query', ({ stanza }) => {
      const node = stanza.getChild('query')?.attrs.node as string | undefined;
      if (node !== undefined) return StanzaError.cancel('item-not-found');
      ctx.send(iqResult(stanza, discoInfoQuery(ctx.host.disco)));
      return true;
    });
    ctx.hook('iq-get/host/http://jabber.org/protocol/disco#items:query', ({ stanza }) => {
      const query = new Element('query', { xmlns: NS.discoItems });
      if (stanza.getChild('query')?.attrs.node === undefined) {
        for (const item of itemsOf(ctx)) query.c('item', item);
      }
      ctx.send(iqResult(stanza, query));
      return true;
    });
    if (ctx.host.kind !== 'user') return;
    ctx.hook('iq-get/bare/http://jabber.org/protocol/disco#info:query', (event) => accountInfo(event, ctx.host.accountDisco, ctx));
    ctx.hook('iq-get/bare/http://jabber.org/protocol/disco#items:query', (event) => accountItems(event, ctx));
  },
});

function itemsOf(ctx: Ctx): Record<string, string>[] {
  const items: Record<string, string>[] = ctx.host.disco.items.map((item) => ({ ...item }) as Record<string, string>);
  for (const [jid, name] of ctx.options.disco_items) items.push(name === undefined ? { jid: jid! } : { jid: jid!, name });
  // Prosody lists components whose names are sub-domains of the host (conference.localhost).
  for (const host of ctx.hosts()) {
    if (host.kind === 'component' && host.name.endsWith(`.${ctx.host.name}`)) items.push({ jid: host.name });
  }
  return items;
}

type Ctx = Parameters<typeof discoModule.load>[0];

async function accountInfo(event: StanzaEvent, registry: DiscoRegistry, ctx: Ctx): Promise<true | StanzaError> {
  const exists = await ctx.accounts?.exists(event.to.local);
  if (exists !== true) return StanzaError.cancel('service-unavailable');
  const query = discoInfoQuery(registry);
  query.children.unshift(new Element('identity', { category: 'account', type: 'registered' }));
  ctx.send(iqResult(event.stanza, query));
  return true;
}

async function accountItems(event: StanzaEvent, ctx: Ctx): Promise<true | StanzaError> {
  const exists = await ctx.accounts?.exists(event.to.local);
  if (exists !== true) return StanzaError.cancel('service-unavailable');
  ctx.send(iqResult(event.stanza, new Element('query', { xmlns: NS.discoItems })));
  return true;
}
