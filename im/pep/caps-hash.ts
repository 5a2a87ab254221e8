/**
 * XEP-0115 §5: the verification string of a disco#info answer and its SHA-1 hash, with §5.4's
 * checks (an answer with duplicate identities, features or forms cannot be verified). Pure.
 */
import { createHash } from 'node:crypto';
import type { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';

/** XEP-0115 §5.1: strings compare as octets ("i;octet", RFC 4790). */
function octetCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function hasDuplicates(values: readonly string[]): boolean {
  return new Set(values).size !== values.length;
}

function formPart(form: Element): { type: string; text: string } | undefined {
  const fields = form.getChildren('field');
  const typeField = fields.find((field) => field.attrs.var === 'FORM_TYPE');
  // §5.4 3.6: a form whose FORM_TYPE is not hidden is ignored.
  if (typeField === undefined || typeField.attrs.type !== 'hidden') return undefined;
  const type = typeField.getChildText('value') ?? '';
  const rest = fields.filter((field) => field !== typeField && field.attrs.var !== undefined)
    .sort((a, b) => octetCompare(a.attrs.var as string, b.attrs.var as string));
  let text = `${type}<`;
  for (const field of rest) {
    text += `${field.attrs.var as string}<`;
    for (const value of field.getChildren('value').map((v) => v.getText()).sort(octetCompare)) text += `${value}<`;
  }
  return { type, text };
}

/** The verification string S (§5.1), or undefined when §5.4 says the answer is not verifiable. */
export function verificationString(query: Element): string | undefined {
  const identities = query.getChildren('identity').map((identity) => {
    const { category = '', type = '', name = '' } = identity.attrs as Record<string, string | undefined>;
    const lang = (identity.attrs['xml:lang'] as string | undefined) ?? '';
    return `${category}/${type}/${lang}/${name}`;
  });
  const features = query.getChildren('feature').map((feature) => (feature.attrs.var as string | undefined) ?? '');
  const forms = query.getChildren('x', NS.dataForms).map(formPart).filter((form) => form !== undefined);
  if (hasDuplicates(identities) || hasDuplicates(features) || hasDuplicates(forms.map((form) => form.type))) return undefined;
  let text = '';
  for (const identity of identities.sort(octetCompare)) text += `${identity}<`;
  for (const feature of features.sort(octetCompare)) text += `${feature}<`;
  for (const form of forms.sort((a, b) => octetCompare(a.type, b.type))) text += form.text;
  return text;
}

/** Base64 SHA-1 of S: the `ver` a client with this disco#info answer advertises (`hash='sha-1'`). */
export function capsVer(query: Element): string | undefined {
  const text = verificationString(query);
  return text === undefined ? undefined : createHash('sha1').update(text, 'utf8').digest('base64');
}

/** The nodes a disco#info answer asks notifications for (XEP-0163 §4.3.2: `node+notify` features). */
export function notifyNodes(query: Element): string[] {
  const nodes: string[] = [];
  for (const feature of query.getChildren('feature')) {
    const name = feature.attrs.var as string | undefined;
    if (name?.endsWith('+notify') === true) nodes.push(name.slice(0, -'+notify'.length));
  }
  return nodes;
}
