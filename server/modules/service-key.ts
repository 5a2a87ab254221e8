/**
 * A typed key under which a module offers an API to other modules (the MUC service API to the
 * kick plugin, the HTTP route table to plugins). Consumers depend on the key and the interface,
 * never on the providing module's internals.
 */
export interface ServiceKey<T> {
  readonly name: string;
  /** Phantom field carrying the type; never set. */
  readonly __type?: T;
}

export function serviceKey<T>(name: string): ServiceKey<T> {
  return { name };
}
