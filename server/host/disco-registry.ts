/**
 * What a host says about itself in service discovery (XEP-0030): features, identities, items and
 * extension forms (XEP-0128). Modules add entries; unloading a module removes what it added, so the
 * lists only ever name what is actually running.
 */
import type { Element } from 'ltx';

export interface DiscoIdentity {
  category: string;
  type: string;
  name?: string;
}

export interface DiscoItem {
  jid: string;
  name?: string;
  node?: string;
}

export class DiscoRegistry {
  readonly #features = new Map<string, number>();
  readonly #identities: DiscoIdentity[] = [];
  readonly #items: DiscoItem[] = [];
  readonly #forms: Element[] = [];

  /** Adds a feature; returns the function that removes it (features are reference-counted). */
  addFeature(feature: string): () => void {
    this.#features.set(feature, (this.#features.get(feature) ?? 0) + 1);
    return () => {
      const count = (this.#features.get(feature) ?? 1) - 1;
      if (count <= 0) this.#features.delete(feature);
      else this.#features.set(feature, count);
    };
  }

  addIdentity(identity: DiscoIdentity): () => void {
    return addTo(this.#identities, identity);
  }

  addItem(item: DiscoItem): () => void {
    return addTo(this.#items, item);
  }

  addForm(form: Element): () => void {
    return addTo(this.#forms, form);
  }

  get features(): string[] {
    return [...this.#features.keys()].sort();
  }

  get identities(): readonly DiscoIdentity[] {
    return this.#identities;
  }

  get items(): readonly DiscoItem[] {
    return this.#items;
  }

  get forms(): readonly Element[] {
    return this.#forms;
  }
}

function addTo<T>(list: T[], entry: T): () => void {
  list.push(entry);
  return () => {
    const index = list.indexOf(entry);
    if (index !== -1) list.splice(index, 1);
  };
}
