/** The core's counters (connections, stanzas, routing errors, authentication) for the metrics module. */
export { ServerStats, STANZA_KINDS, TRANSPORTS } from './server-stats.js';
export type { ServerStatsReader, StanzaCounts, StanzaKind, Transport, TransportCounts } from './server-stats.js';
export { countLive } from './live-counts.js';
export type { LiveCounts, LiveSession, LiveStream, SessionCounts } from './live-counts.js';
