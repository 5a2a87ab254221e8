/**
 * Which XMPP host answers a request (spec §0.3, Prosody's net.http.server): the `Host` header's
 * name, compared case-insensitively with each host's published name (`http_host`, else the host
 * itself); an unknown name falls back to `http_default_host`, else nothing answers. Web-client
 * routes (`anyHost`) go further, as Prosody's do: without `http_default_host` the first
 * VirtualHost answers them, so `ws://127.0.0.1:5280/xmpp-websocket` reaches a server whose host
 * is `example.com`. The XMPP host itself is chosen inside the stream (its `to`), not by `Host`.
 */
import type { Logger } from '../server/log/index.js';
import type { RouteTable } from './route-table.js';

export class HostSelector {
  readonly #byName = new Map<string, RouteTable>();
  readonly #fallback: RouteTable | undefined;
  readonly #webFallback: RouteTable | undefined;

  /**
   * `tables` in config order with their published names; `defaultHost` names an XMPP host (or,
   * failing that, a published name). Throws when `defaultHost` names neither.
   */
  constructor(
    tables: ReadonlyArray<{ table: RouteTable; publishedName: string; isVirtualHost: boolean }>, defaultHost: string | undefined, logger: Logger,
  ) {
    for (const { table, publishedName } of tables) {
      const taken = this.#byName.get(publishedName);
      if (taken === undefined) this.#byName.set(publishedName, table);
      else logger.warn({ host: table.host, name: publishedName, servedBy: taken.host }, 'two hosts publish HTTP routes under one name; the first one answers');
    }
    if (defaultHost === undefined) {
      this.#webFallback = tables.find(({ isVirtualHost }) => isVirtualHost)?.table;
      return;
    }
    const fallback = tables.find(({ table }) => table.host === defaultHost)?.table ?? this.#byName.get(defaultHost);
    if (fallback === undefined) throw new Error(`option "http_default_host": "${defaultHost}" is not a host of this server`);
    this.#fallback = fallback;
    this.#webFallback = fallback;
  }

  /** The host answering a request for `name` (already lower case, port stripped). */
  select(name: string): RouteTable | undefined {
    return this.#byName.get(name) ?? this.#fallback;
  }

  /** The host answering unknown names (`http_default_host`), if any. */
  get fallback(): RouteTable | undefined {
    return this.#fallback;
  }

  /** The host answering web-client routes for unknown names: `http_default_host`, else the first VirtualHost. */
  get webFallback(): RouteTable | undefined {
    return this.#webFallback;
  }

  /** The name each host's routes are published under. */
  publishedNames(): Map<RouteTable, string> {
    const names = new Map<RouteTable, string>();
    for (const [name, table] of this.#byName) if (!names.has(table)) names.set(table, name);
    return names;
  }
}
