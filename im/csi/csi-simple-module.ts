/**
 * The `csi_simple` module (Prosody's name; XEP-0352 §5, the behaviour half): while a client says
 * it is inactive, stanzas it need not see at once wait in a bounded per-session buffer
 * (`HeldStanzas`) and go out together, in order, with the next urgent stanza, when the client
 * becomes active or acts itself, or when the buffer is full. Fewer, larger writes let a phone's
 * radio sleep.
 */
import * as z from 'zod';
import { Priority } from '../../server/hooks/index.js';
import { defineModule } from '../../server/modules/index.js';
import type { Session } from '../../server/session/index.js';
import './csi-events.js';
import { HeldStanzas, type HoldRules } from './held-stanzas.js';
import { parsePayloadName, type PayloadName } from './importance.js';

interface SessionBuffer {
  readonly held: HeldStanzas;
  readonly removeFilter: () => void;
}

export const csiSimpleModule = defineModule({
  name: 'csi_simple',
  description: 'Holds non-urgent stanzas for inactive clients (XEP-0352)',
  autoload: true,
  requires: ['csi'],
  options: {
    csi_queue_size: z.number().int().min(1).max(100_000).default(256)
      .describe('Most stanzas held for an inactive client; one more sends them all.'),
    csi_queue_bytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024)
      .describe('[Salon] Most bytes held for an inactive client; a stanza that would pass it sends them all.'),
    csi_important_payloads: z.array(z.string()).default([])
      .describe('More message payloads, as `{namespace}name`, that are sent to an inactive client at once.'),
  },
  validate(options) {
    const bad = options.csi_important_payloads.find((text) => parsePayloadName(text) === undefined);
    return bad === undefined ? undefined : `csi_important_payloads: "${bad}" is not {namespace}name`;
  },
  load(ctx) {
    const rules: HoldRules = {
      stanzas: ctx.options.csi_queue_size,
      bytes: ctx.options.csi_queue_bytes,
      importantPayloads: ctx.options.csi_important_payloads.map((text) => parsePayloadName(text)).filter((p): p is PayloadName => p !== undefined),
    };
    // Keyed by the Session object: a session that stream management resumes keeps its state.
    const buffers = new WeakMap<Session, SessionBuffer>();

    const release = (session: Session, why: string): void => {
      const buffer = buffers.get(session);
      if (buffer === undefined) return;
      buffers.delete(session);
      buffer.removeFilter();
      const count = buffer.held.flush();
      session.logger.debug({ count, why }, 'csi: buffer released');
    };

    ctx.hook('csi-client-inactive', ({ session }) => {
      if (buffers.has(session) || session.closed) return;
      const held = new HeldStanzas(rules, session.jid.bare().toString());
      buffers.set(session, { held, removeFilter: session.addOutputFilter(held.filter) });
    });
    ctx.hook('csi-client-active', ({ session }) => release(session, 'client active'));
    // Prosody flushes on any input from the client: it is awake now, whatever it says its state is.
    const onClientActivity = (origin: Session | undefined): undefined => {
      if (origin !== undefined) buffers.get(origin)?.held.flush();
      return undefined;
    };
    ctx.hook('pre-stanza', ({ origin }) => onClientActivity(origin), Priority.Guard);
    ctx.hook('presence/broadcast', ({ origin }) => onClientActivity(origin), Priority.Guard);
    // The session ended for good: nothing can be written to it. Held messages (receipts, chat
    // markers, chat states: never one with a body) go to `delivery-failure`, as the stanzas its
    // client never acknowledged do, so offline storage keeps what it keeps (with the delay stamp
    // of when they were held). They are newer than every unacknowledged one (an urgent stanza
    // flushes the buffer first), so they follow stream management's report. Held presence is
    // dropped: by the next login the contacts' presence is probed afresh.
    ctx.hook('resource-unbind', ({ session, host, undeliveredReported }) => {
      const buffer = buffers.get(session);
      if (buffer === undefined) return;
      buffers.delete(session);
      buffer.removeFilter();
      const held = buffer.held.take();
      const messages = held.filter((stanza) => stanza.name === 'message');
      if (held.length > 0) session.logger.debug({ dropped: held.length - messages.length, reported: messages.length }, 'csi: held stanzas at session end');
      if (messages.length === 0) return;
      const report = async (): Promise<void> => {
        await undeliveredReported;
        for (const message of messages) await host.hooks.fire('delivery-failure', { session, stanza: message.element(), host });
        session.logger.debug({ count: messages.length }, 'csi: held messages reported undelivered');
      };
      report().catch((failure: unknown) => session.logger.error({ err: failure }, 'csi: reporting held messages failed'));
    });
    ctx.onUnload(() => {
      for (const session of ctx.sessions.all()) if (session.jid.domain === ctx.host.name) release(session, 'unload');
    });
  },
});
