/**
 * The `http` module: the declaration of the HTTP listener's options, so that configuration
 * validation knows them. The listener itself is created by the composition root for every host,
 * whether or not this module is enabled (Prosody loads mod_http implicitly the same way).
 */
import { defineModule } from '../server/modules/index.js';
import { httpOptionShape } from './http-options.js';

export const httpModule = defineModule({
  name: 'http',
  description: 'The HTTP listener (routes of other modules, health and readiness probes).',
  hostKinds: ['user', 'component'],
  options: httpOptionShape,
  load: () => undefined,
});
