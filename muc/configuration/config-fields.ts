/**
 * Which fields a submitted room configuration may carry: the ones of the form the room hands out
 * (`config-form.ts`), the registered alias `muc#maxhistoryfetch` and FORM_TYPE. Anything else is
 * refused with <not-acceptable/> before the form is applied, so a typo never goes unnoticed and
 * the room stays unchanged.
 */
import type { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { CONFIG_FIELD_VARS, MAX_HISTORY_FETCH_VAR } from './config-form.js';

const KNOWN_FIELDS: ReadonlySet<string> = new Set(['FORM_TYPE', MAX_HISTORY_FETCH_VAR, ...Object.values(CONFIG_FIELD_VARS)]);

/** The first field of a submitted form this room does not know, if any. */
export function unknownConfigField(form: Element): string | undefined {
  if (form.attrs.type !== 'submit') return undefined;
  for (const field of form.getChildren('field', NS.dataForms)) {
    const name = field.attrs.var as string | undefined;
    if (name !== undefined && !KNOWN_FIELDS.has(name)) return name;
  }
  return undefined;
}
