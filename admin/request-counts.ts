/**
 * Counts of the admin API's answers by operation and status, offered under
 * `adminRequestCountsKey` for `http_openmetrics` (read at scrape time; counting is one map
 * lookup per request). Requests refused before an operation was chosen (no token, unknown path)
 * count under the operation `none`.
 */
import { serviceKey, type ServiceKey } from '../server/modules/index.js';

/** One series: how many requests for `operation` were answered with `status`. */
export interface AdminRequestCount {
  readonly operation: string;
  readonly status: number;
  readonly count: number;
}

export interface AdminRequestCounts {
  /** Every operation and status answered at least once since the module loaded. */
  entries(): readonly AdminRequestCount[];
}

interface MutableCount {
  readonly operation: string;
  readonly status: number;
  count: number;
}

export class AdminRequestCounter implements AdminRequestCounts {
  readonly #counts = new Map<string, MutableCount>();

  add(operation: string, status: number): void {
    const key = `${status} ${operation}`;
    const entry = this.#counts.get(key);
    if (entry === undefined) this.#counts.set(key, { operation, status, count: 1 });
    else entry.count++;
  }

  entries(): readonly AdminRequestCount[] {
    return [...this.#counts.values()].map(({ operation, status, count }) => ({ operation, status, count }));
  }
}

/** The key under which a host running `http_admin_api` offers its request counts. */
export const adminRequestCountsKey: ServiceKey<AdminRequestCounts> = serviceKey<AdminRequestCounts>('admin-request-counts');
