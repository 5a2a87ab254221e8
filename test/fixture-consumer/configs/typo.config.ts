/** A config file whose `fixture` section has a typo: start-up must refuse it, naming it. */
import { defineConfig, VirtualHost } from 'salon';

export default defineConfig({
  hosts: [VirtualHost('chat.test')],
  fixture: { user: { alice: 'pw' } },
});
