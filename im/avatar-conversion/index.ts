/** User Avatar to vCard-Based Avatars Conversion (XEP-0398): the `vcard_legacy` module. */
export { vcardLegacyModule } from './vcard-legacy-module.js';
