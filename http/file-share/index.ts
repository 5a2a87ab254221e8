/** HTTP File Upload (XEP-0363): the `http_file_share` component module. */
export { httpFileShareModule } from './file-share-module.js';
export { fileStorageRootKey, type FileStorageRoot } from './file-storage-root.js';
