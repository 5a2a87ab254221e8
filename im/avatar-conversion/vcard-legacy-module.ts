/**
 * The `vcard_legacy` module (Prosody's name, enabled by Prosody's default configuration): User
 * Avatar to vCard-Based Avatars Conversion (XEP-0398). Prosody's module also serves vcard-temp
 * out of PEP; here the `vcard` module stores vcard-temp itself, and this one keeps the avatar of
 * both in step, so `modules_disabled: ['vcard_legacy']` turns off the conversion as it does in
 * Prosody. Loaded on every VirtualHost; needs `vcard` and `pep`, loaded before it.
 */
import { Jid } from '../../server/jid/index.js';
import { defineModule } from '../../server/modules/index.js';
import { pepServiceKey } from '../pep/index.js';
import { vcardServiceKey } from '../vcard/index.js';
import { AvatarConversion } from './avatar-conversion.js';
import { CONVERSION_FEATURE } from './avatar-items.js';

export const vcardLegacyModule = defineModule({
  name: 'vcard_legacy',
  description: 'User Avatar to vCard-Based Avatars Conversion (XEP-0398), between PEP and vcard-temp',
  hostKinds: ['user'],
  autoload: true,
  load(ctx) {
    const pep = ctx.service(pepServiceKey);
    const vcards = ctx.service(vcardServiceKey);
    if (pep === undefined || vcards === undefined) {
      ctx.logger.warn('The vcard_legacy module needs pep and vcard: avatars are not converted');
      return;
    }
    const conversion = new AvatarConversion(pep, vcards, ctx.logger);
    ctx.onUnload(pep.onNodeChanged((owner, node) => void conversion.pepChanged(owner, node)));
    ctx.onUnload(vcards.onVCardSet((username, vcard) => void conversion.vcardSet(new Jid(username, ctx.host.name), vcard)));
    ctx.hook('resource-bind', ({ session }) => {
      void conversion.sessionStarted(session.jid.bare());
      return undefined;
    });
    ctx.onUnload(ctx.host.accountDisco.addFeature(CONVERSION_FEATURE));
  },
});
