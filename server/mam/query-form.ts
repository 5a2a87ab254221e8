/**
 * The query form a client asks for before searching (XEP-0313 §4.1.1): the fields an archive
 * supports, the #extended ones included (`before-id`, `after-id`, `ids`). `start` and `end`
 * carry their datatype, as in Prosody's form; `ids` is an open list, as in XEP-0313's example.
 */
import { Element } from 'ltx';
import { NS } from '../xml/index.js';

const XDATA_VALIDATE = 'http://jabber.org/protocol/xdata-validate';

/** The fields a query may submit; any other is refused (see query-parse.ts). */
export const QUERY_FIELDS: readonly string[] = ['FORM_TYPE', 'with', 'start', 'end', 'before-id', 'after-id', 'ids'];

/** `<query xmlns='urn:xmpp:mam:2'><x type='form'>…</x></query>`. */
export function queryFormElement(): Element {
  const query = new Element('query', { xmlns: NS.mam });
  const form = query.c('x', { xmlns: NS.dataForms, type: 'form' });
  form.c('field', { var: 'FORM_TYPE', type: 'hidden' }).c('value').t(NS.mam);
  form.c('field', { var: 'with', type: 'jid-single' });
  for (const name of ['start', 'end']) {
    form.c('field', { var: name, type: 'text-single' }).c('validate', { xmlns: XDATA_VALIDATE, datatype: 'xs:dateTime' });
  }
  form.c('field', { var: 'before-id', type: 'text-single' });
  form.c('field', { var: 'after-id', type: 'text-single' });
  form.c('field', { var: 'ids', type: 'list-multi' }).c('validate', { xmlns: XDATA_VALIDATE, datatype: 'xs:string' }).c('open');
  return query;
}
