/**
 * A PEP node's configuration (XEP-0060 §16.4.3 `pubsub#node_config`): the fields Salon honours,
 * their defaults (XEP-0163 §4.1: access model `presence`) and the reading of a submitted form,
 * used both by `publish-options` (§7.1.5) and by the owner's configure form (§8.2). Pure.
 */
import { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { NS } from '../../server/xml/index.js';
import { PUBSUB } from './pubsub-ns.js';

export const ACCESS_MODELS = ['presence', 'open', 'roster', 'whitelist'] as const;
export type AccessModel = (typeof ACCESS_MODELS)[number];

export interface NodeConfig {
  readonly title: string;
  readonly accessModel: AccessModel;
  readonly maxItems: number;
  readonly persistItems: boolean;
  readonly rosterGroupsAllowed: readonly string[];
  readonly notifyRetract: boolean;
}

/** Defaults of a node created by a publish (XEP-0163 §4.1), `maxItems` being `pep_max_items`. */
export function defaultNodeConfig(maxItems: number): NodeConfig {
  return { title: '', accessModel: 'presence', maxItems, persistItems: true, rosterGroupsAllowed: [], notifyRetract: true };
}

/** A field's values from a form, by `var`: each `<field/>` once (XEP-0004 §3.2). */
export function readForm(x: Element): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const field of x.getChildren('field')) {
    const name = field.attrs.var as string | undefined;
    if (name === undefined) continue;
    fields.set(name, field.getChildren('value').map((value) => value.getText()));
  }
  return fields;
}

function parseBoolean(value: string | undefined): boolean | undefined {
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  return undefined;
}

const invalid = (field: string): StanzaError => StanzaError.modify('not-acceptable', { text: `invalid value for ${field}` });

/**
 * Applies the known fields of a form onto `base`. `pubsub#max_items` takes a count from 1 to
 * `limit` or `max` (XEP-0060 §7.1.5: the largest the service allows). Unknown fields are ignored,
 * as other servers do, so clients sending more than this service honours still publish.
 */
export function applyConfigForm(base: NodeConfig, fields: ReadonlyMap<string, readonly string[]>, limit: number): Result<NodeConfig, StanzaError> {
  const config = { ...base };
  const first = (name: string): string | undefined => fields.get(name)?.[0];
  if (fields.has('pubsub#title')) config.title = first('pubsub#title') ?? '';
  const access = first('pubsub#access_model');
  if (access !== undefined) {
    if (!(ACCESS_MODELS as readonly string[]).includes(access)) return err(invalid('pubsub#access_model'));
    config.accessModel = access as AccessModel;
  }
  const max = first('pubsub#max_items');
  if (max !== undefined) {
    const count = max === 'max' ? limit : Number(max);
    if (!Number.isSafeInteger(count) || count < 1 || count > limit) return err(invalid('pubsub#max_items'));
    config.maxItems = count;
  }
  for (const [name, key] of [['pubsub#persist_items', 'persistItems'], ['pubsub#notify_retract', 'notifyRetract']] as const) {
    const value = first(name);
    if (value === undefined) continue;
    const flag = parseBoolean(value);
    if (flag === undefined) return err(invalid(name));
    config[key] = flag;
  }
  if (fields.has('pubsub#roster_groups_allowed')) config.rosterGroupsAllowed = [...new Set(fields.get('pubsub#roster_groups_allowed'))];
  return ok(config);
}

/** The fields of `wanted` whose values differ from `actual`'s (publish-options preconditions). */
export function differingFields(actual: NodeConfig, wanted: NodeConfig): string[] {
  const differ: string[] = [];
  if (actual.title !== wanted.title) differ.push('pubsub#title');
  if (actual.accessModel !== wanted.accessModel) differ.push('pubsub#access_model');
  if (actual.maxItems !== wanted.maxItems) differ.push('pubsub#max_items');
  if (actual.persistItems !== wanted.persistItems) differ.push('pubsub#persist_items');
  if (actual.notifyRetract !== wanted.notifyRetract) differ.push('pubsub#notify_retract');
  if ([...actual.rosterGroupsAllowed].sort().join('\n') !== [...wanted.rosterGroupsAllowed].sort().join('\n')) differ.push('pubsub#roster_groups_allowed');
  return differ;
}

/** The owner's configuration form (XEP-0060 §8.2.1), `groups` being the owner's roster groups. */
export function configForm(config: NodeConfig, type: 'form' | 'result', groups: readonly string[]): Element {
  const x = new Element('x', { xmlns: NS.dataForms, type });
  const field = (attrs: Record<string, string>, values: readonly string[], options: readonly string[] = []): void => {
    const el = x.c('field', attrs);
    for (const value of values) el.c('value').t(value);
    for (const option of options) el.c('option').c('value').t(option);
  };
  field({ var: 'FORM_TYPE', type: 'hidden' }, [PUBSUB.nodeConfig]);
  field({ var: 'pubsub#title', type: 'text-single', label: 'A friendly name for the node' }, [config.title]);
  field({ var: 'pubsub#max_items', type: 'text-single', label: 'Max # of items to persist' }, [String(config.maxItems)]);
  field({ var: 'pubsub#persist_items', type: 'boolean', label: 'Persist items to storage' }, [config.persistItems ? '1' : '0']);
  field({ var: 'pubsub#access_model', type: 'list-single', label: 'Specify the subscriber model' }, [config.accessModel], ACCESS_MODELS);
  field({ var: 'pubsub#roster_groups_allowed', type: 'list-multi', label: 'Roster groups allowed to subscribe' },
    config.rosterGroupsAllowed, [...new Set([...groups, ...config.rosterGroupsAllowed])]);
  field({ var: 'pubsub#notify_retract', type: 'boolean', label: 'Whether to notify subscribers when items are removed from the node' },
    [config.notifyRetract ? '1' : '0']);
  field({ var: 'pubsub#publish_model', type: 'list-single', label: 'Who may publish' }, ['publishers'], ['publishers']);
  return x;
}
