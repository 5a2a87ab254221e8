/** Metrics (`http_openmetrics`): the module definition for the catalog. */
export { httpOpenmetricsModule } from './openmetrics-module.js';
