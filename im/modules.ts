/** The modules of this folder, in the order they load. */
import type { AnyModuleDefinition } from '../server/modules/index.js';

export const imModuleList: AnyModuleDefinition[] = [];
