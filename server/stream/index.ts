export { XmppStream } from './xmpp-stream.js';
export type { StreamConnection, ChannelBindingType } from './stream-connection.js';
export type { C2sEnvironment, C2sPolicy, C2sLimits } from './c2s-environment.js';
export { AuthLimiter } from './auth-limiter.js';
export { RegistrationThrottle } from './registration-throttle.js';
export { TCP_HEADER_RULES, FRAMED_HEADER_RULES } from './stream-header.js';
export { clientStreamsKey } from './client-streams.js';
export type { ClientStreams } from './client-streams.js';
export { smacksModule } from './stream-management/index.js';
