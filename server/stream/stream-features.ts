/** `<stream:features/>` for each negotiation phase (RFC 6120 §4.3.2, §5, §6, §7). */
import { Element } from 'ltx';
import type { Host } from '../host/index.js';
import { NS } from '../xml/index.js';
import type { C2sPolicy } from './c2s-environment.js';

export interface FeatureContext {
  host: Host;
  policy: C2sPolicy;
  phase: 'initial' | 'authenticated';
  secure: boolean;
  canStartTls: boolean;
  mechanisms: () => readonly string[];
  framed: boolean;
}

export function buildFeatures(context: FeatureContext): string {
  const features = new Element('stream:features', context.framed ? { 'xmlns:stream': NS.stream } : {});
  if (context.phase === 'initial') {
    addInitialFeatures(features, context);
  } else {
    features.c('bind', { xmlns: NS.bind });
    // RFC 6121 earlier drafts: the session establishment step is optional and a no-op.
    features.c('session', { xmlns: NS.session }).c('optional');
  }
  context.host.hooks.notify('stream-features', {
    features,
    host: context.host,
    authenticated: context.phase === 'authenticated',
    secure: context.secure,
  });
  return features.toString();
}

function addInitialFeatures(features: Element, context: FeatureContext): void {
  const mustEncrypt = context.policy.requireEncryption && !context.secure;
  if (!context.secure && context.canStartTls) {
    const starttls = features.c('starttls', { xmlns: NS.tls });
    if (context.policy.requireEncryption) starttls.c('required');
  }
  // RFC 6120 §5.3.1: while TLS is mandatory-to-negotiate, no other feature is offered.
  if (mustEncrypt) return;
  const offered = context.mechanisms();
  const mechanisms = features.c('mechanisms', { xmlns: NS.sasl });
  for (const mechanism of offered) mechanisms.c('mechanism').t(mechanism);
  // XEP-0440: say which channel-binding types -PLUS accepts, so clients need not guess.
  if (offered.some((m) => m.endsWith('-PLUS'))) {
    features.c('sasl-channel-binding', { xmlns: NS.saslChannelBinding }).c('channel-binding', { type: 'tls-exporter' });
  }
  if (context.policy.allowRegistration) features.c('register', { xmlns: NS.registerFeature });
}
