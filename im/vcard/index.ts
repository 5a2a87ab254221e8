export { vcardModule } from './vcard-module.js';
export { vcardServiceKey, type VCardService, type VCardPhoto, type VCardSetListener } from './vcard-service.js';
export { imageHash, vcardImage } from './photo-hash.js';
