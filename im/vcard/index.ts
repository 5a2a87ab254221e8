export { vcardModule } from './vcard-module.js';
export { vcardServiceKey, type VCardService, type VCardPhoto, type VCardSetListener } from './vcard-service.js';
