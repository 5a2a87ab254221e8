export { csiModule } from './csi-module.js';
export { csiSimpleModule } from './csi-simple-module.js';
