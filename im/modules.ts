/** The modules of this folder, in the order they load. */
import type { AnyModuleDefinition } from '../server/modules/index.js';
import { mamModule } from './mam/mam-module.js';
import { carbonsModule } from './carbons/index.js';
import { csiModule, csiSimpleModule } from './csi/index.js';
import { privateModule } from './private/index.js';
import { lastActivityModule, uptimeModule } from './last-activity/index.js';
import { vcardModule } from './vcard/index.js';
import { pepModule } from './pep/index.js';
import { vcardLegacyModule } from './avatar-conversion/index.js';
import { bookmarksModule } from './bookmarks/index.js';

export const imModuleList: AnyModuleDefinition[] = [mamModule, carbonsModule, csiModule, csiSimpleModule, privateModule, lastActivityModule, uptimeModule, vcardModule, pepModule, vcardLegacyModule, bookmarksModule];
