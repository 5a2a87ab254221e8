/**
 * The small part of XEP-0004 (Data Forms) the room engine needs: building `form` / `result` forms
 * and reading the fields of a submitted one.
 */
import { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';

/** XEP-0004 §3.3 field types. */
export type FieldType =
  | 'boolean' | 'fixed' | 'hidden' | 'jid-multi' | 'jid-single'
  | 'list-multi' | 'list-single' | 'text-multi' | 'text-private' | 'text-single';

/** XEP-0004 §3.1 form types. */
export type FormType = 'form' | 'submit' | 'cancel' | 'result';

export interface FieldOption {
  readonly value: string;
  readonly label?: string;
}

export interface FieldSpec {
  /** Omitted only for `fixed` fields (XEP-0004 §3.2). */
  readonly var?: string;
  readonly type?: FieldType;
  readonly label?: string;
  readonly values?: readonly string[];
  readonly options?: readonly FieldOption[];
}

export interface FormSpec {
  readonly title?: string;
  readonly instructions?: string;
  readonly fields: readonly FieldSpec[];
}

/** XEP-0004 §3.3: booleans are written as "1" / "0" (both spellings are read). */
export function booleanValue(value: boolean): string {
  return value ? '1' : '0';
}

/** Attributes without the unset ones, so that built elements compare equal to parsed ones. */
function attrs(values: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (value !== undefined) out[name] = value;
  return out;
}

function fieldElement(spec: FieldSpec): Element {
  const field = new Element('field', attrs({ var: spec.var, type: spec.type, label: spec.label }));
  for (const value of spec.values ?? []) field.c('value').t(value);
  for (const option of spec.options ?? []) {
    field.c('option', attrs({ label: option.label })).c('value').t(option.value);
  }
  return field;
}

/** `<x xmlns='jabber:x:data' type='…'>` with title, instructions and fields, in order. */
export function dataForm(type: FormType, spec: FormSpec): Element {
  const x = new Element('x', { xmlns: NS.dataForms, type });
  if (spec.title !== undefined) x.c('title').t(spec.title);
  if (spec.instructions !== undefined) x.c('instructions').t(spec.instructions);
  for (const field of spec.fields) x.cnode(fieldElement(field));
  return x;
}

/** The hidden FORM_TYPE field (XEP-0068 §3). */
export function formTypeField(formType: string): FieldSpec {
  return { var: 'FORM_TYPE', type: 'hidden', values: [formType] };
}

/** The fields of a form: each `var` with its values, in document order. */
export type SubmittedFields = ReadonlyMap<string, readonly string[]>;

/**
 * Reads every field of a data form. A `var` given twice makes the form malformed (XEP-0004 §3.2:
 * `var` is unique) and is a `bad-request`. Fields without a `var` and `fixed` fields carry no
 * value to submit (XEP-0004 §3.2: a `fixed` field is a label and needs no `var`); clients such as
 * slixmpp echo them back in the submitted form, so they are skipped, as Prosody does.
 */
export function readFormFields(x: Element): Result<SubmittedFields, StanzaError> {
  const fields = new Map<string, string[]>();
  for (const field of x.getChildren('field', NS.dataForms)) {
    const name: unknown = field.attrs.var;
    if (typeof name !== 'string' || name === '' || field.attrs.type === 'fixed') continue;
    if (fields.has(name)) {
      return err(StanzaError.modify('bad-request', { text: `Field ${name} is given twice` }));
    }
    fields.set(name, field.getChildren('value', NS.dataForms).map((value) => value.getText()));
  }
  return ok(fields);
}

/** The form's FORM_TYPE value, if it has exactly one. */
export function formTypeOf(fields: SubmittedFields): string | undefined {
  const values = fields.get('FORM_TYPE');
  return values?.length === 1 ? values[0] : undefined;
}
