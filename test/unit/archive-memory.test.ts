/** The memory driver's archives against the archive contract every driver shares. */
import { MemoryArchiveStore } from '../../server/storage/memory-archive.js';
import { describeArchiveContract } from '../helpers/archive-contract.js';

describeArchiveContract('memory', async () => ({ store: new MemoryArchiveStore(), close: async () => {} }));
