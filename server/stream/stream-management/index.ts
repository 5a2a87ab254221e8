export { smacksModule } from './smacks-module.js';
export { StreamManagement } from './stream-management.js';
export { ResumptionRegistry, resumptionRegistryOf } from './resumption-registry.js';
export { HibernatedOutput } from './hibernated-output.js';
export { reportUndelivered } from './undelivered.js';
export { parseH } from './h-counter.js';
export { smacksOptionShape, smOptionsFrom, type SmOptions } from './sm-options.js';
export { handleAck, handleEnable } from './sm-requests.js';
export { ackXml, failedXml, resumedXml } from './sm-xml.js';
