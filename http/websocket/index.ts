/** XMPP over WebSocket (RFC 7395): the `websocket` module. */
export { websocketModule } from './websocket-module.js';
