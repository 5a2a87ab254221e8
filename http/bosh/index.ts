/** XMPP over BOSH (XEP-0124, XEP-0206): the `bosh` module. */
export { boshModule } from './bosh-module.js';
