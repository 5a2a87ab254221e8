/**
 * Messaging across a user's devices and over time: Message Carbons (XEP-0280) with the XEP-0334
 * hints, Client State Indication (XEP-0352), Unique and Stable Stanza IDs (XEP-0359) and the
 * user's Message Archive (XEP-0313).
 */
import type { AnyModuleDefinition } from '../server/modules/index.js';
import { imModuleList } from './modules.js';

export const imModules: readonly AnyModuleDefinition[] = imModuleList;
