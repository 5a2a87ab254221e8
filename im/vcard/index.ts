export { vcardModule } from './vcard-module.js';
