/** The namespaces of vcard-temp (XEP-0054) and vCard-based avatars (XEP-0153). */
export const VCARD_TEMP = 'vcard-temp';
export const VCARD_UPDATE = 'vcard-temp:x:update';
