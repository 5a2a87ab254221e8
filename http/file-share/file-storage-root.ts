/**
 * Where modules that keep files (not records) put them, offered to every host by the
 * composition root: the server's `data_path`, or undefined when storage is `memory` (tests,
 * fixtures), in which case such a module uses a temporary directory it removes when it unloads.
 */
import { serviceKey, type ServiceKey } from '../../server/modules/index.js';

export interface FileStorageRoot {
  /** Absolute `data_path`; undefined when nothing may stay on disk. */
  readonly path: string | undefined;
}

export const fileStorageRootKey: ServiceKey<FileStorageRoot> = serviceKey<FileStorageRoot>('file-storage-root');
