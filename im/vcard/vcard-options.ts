/**
 * Options of the `vcard` module. Prosody's mod_vcard has none; `vcard_max_size` is Salon's bound
 * on one user's stored vCard (bytes of its XML), so that storage per account stays bounded below
 * the stanza size limit.
 */
import * as z from 'zod';

/**
 * 128 KiB: XEP-0153 §4.5 asks for avatars under 8 KB, but clients publish larger ones (a 200 px
 * photographic PNG is often 60–90 KB, 80–120 KB once in base64), and a vCard refused here loses
 * the user's avatar without the client saying why.
 */
export const DEFAULT_VCARD_MAX_SIZE = 131_072;

export const vcardOptions = {
  vcard_max_size: z.number().int().min(1024).max(16 * 1024 * 1024).default(DEFAULT_VCARD_MAX_SIZE)
    .describe('Largest vCard (bytes of XML, avatar included) a user may store; larger ones are refused with not-acceptable.'),
};
