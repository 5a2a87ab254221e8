/** Software Version (XEP-0092), with Prosody's `hide_os_type`. */
import { readFileSync } from 'node:fs';
import { platform, release } from 'node:os';
import { Element, clone } from 'ltx';
import * as z from 'zod';
import { iqResult, NS } from '../../xml/index.js';
import { defineModule } from '../module-definition.js';

/** Read once at import (start-up), never on the stanza path. */
const VERSION = readPackageVersion();

function readPackageVersion(): string {
  for (const candidate of ['../../../package.json', '../../../../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'salon' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // Not at this depth: the compiled layout (dist/) sits one folder deeper than the sources.
    }
  }
  return 'unknown';
}

export const versionModule = defineModule({
  name: 'version',
  description: 'Answers software version requests (XEP-0092)',
  hostKinds: ['user', 'component'],
  autoload: true,
  options: {
    hide_os_type: z.boolean().default(false).describe('Do not reveal the operating system in version replies.'),
  },
  load(ctx) {
    ctx.addFeature(NS.version);
    const query = new Element('query', { xmlns: NS.version });
    query.c('name').t('Salon');
    query.c('version').t(VERSION);
    if (!ctx.options.hide_os_type) query.c('os').t(`${platform()} ${release()}`);
    ctx.hook('iq-get/host/jabber:iq:version:query', ({ stanza }) => {
      ctx.send(iqResult(stanza, clone(query)));
      return true;
    });
  },
});

export const salonVersion = VERSION;
