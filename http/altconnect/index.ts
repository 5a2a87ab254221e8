/** XEP-0156 discovery of the web endpoints: the `http_altconnect` module. */
export { altconnectModule } from './altconnect-module.js';
