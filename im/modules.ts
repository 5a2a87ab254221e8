/** The modules of this folder, in the order they load. */
import type { AnyModuleDefinition } from '../server/modules/index.js';
import { mamModule } from './mam/mam-module.js';
import { carbonsModule } from './carbons/index.js';
import { csiModule, csiSimpleModule } from './csi/index.js';

export const imModuleList: AnyModuleDefinition[] = [mamModule, carbonsModule, csiModule, csiSimpleModule];
