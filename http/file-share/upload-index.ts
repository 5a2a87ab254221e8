/**
 * What the service knows of its slots: one record per slot handed out, written when the slot is
 * granted (so quotas count it at once, as in Prosody) and marked complete when its file is in
 * place. Kept in the host's `http_file_share` store and, for quota checks and downloads without
 * a storage read, in memory: records live at most `http_file_share_expires_after`, so their
 * number is bounded by the quotas over that period.
 */
import type { KeyValueStore } from '../../server/storage/index.js';

export interface UploadRecord {
  readonly uploader: string;
  readonly filename: string;
  readonly size: number;
  readonly type: string;
  /** When the slot was granted (ms since the epoch). */
  readonly time: number;
  readonly complete: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

function isRecord(value: unknown): value is UploadRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return typeof r.uploader === 'string' && typeof r.filename === 'string' && typeof r.type === 'string'
    && typeof r.size === 'number' && typeof r.time === 'number' && typeof r.complete === 'boolean';
}

export class UploadIndex {
  readonly #store: KeyValueStore<UploadRecord>;
  readonly #records = new Map<string, UploadRecord>();
  readonly #byUploader = new Map<string, Set<string>>();
  #totalBytes = 0;

  constructor(store: KeyValueStore<UploadRecord>) {
    this.#store = store;
  }

  /** Reads every record back (at load). */
  async load(): Promise<void> {
    for (const slot of await this.#store.keys()) {
      const record = await this.#store.get(slot);
      if (isRecord(record)) this.#remember(slot, record);
    }
  }

  get(slot: string): UploadRecord | undefined {
    return this.#records.get(slot);
  }

  /** Bytes of every slot granted and not yet expired (Prosody's global usage). */
  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Bytes `uploader` was granted in the 24 hours before `now`. */
  grantedToday(uploader: string, now: number): number {
    let sum = 0;
    for (const slot of this.#byUploader.get(uploader) ?? []) {
      const record = this.#records.get(slot);
      if (record !== undefined && record.time > now - DAY_MS) sum += record.size;
    }
    return sum;
  }

  async add(slot: string, record: UploadRecord): Promise<void> {
    this.#remember(slot, record);
    await this.#store.set(slot, record);
  }

  async markComplete(slot: string): Promise<void> {
    const record = this.#records.get(slot);
    if (record === undefined) return;
    const complete = { ...record, complete: true };
    this.#records.set(slot, complete);
    await this.#store.set(slot, complete);
  }

  /** Slots granted before `boundary` (ms since the epoch). */
  grantedBefore(boundary: number): string[] {
    return [...this.#records].filter(([, record]) => record.time < boundary).map(([slot]) => slot);
  }

  async remove(slot: string): Promise<void> {
    const record = this.#records.get(slot);
    if (record === undefined) return;
    this.#records.delete(slot);
    this.#totalBytes -= record.size;
    const slots = this.#byUploader.get(record.uploader);
    slots?.delete(slot);
    if (slots?.size === 0) this.#byUploader.delete(record.uploader);
    await this.#store.delete(slot);
  }

  #remember(slot: string, record: UploadRecord): void {
    const previous = this.#records.get(slot);
    if (previous !== undefined) this.#totalBytes -= previous.size;
    this.#records.set(slot, record);
    this.#totalBytes += record.size;
    const slots = this.#byUploader.get(record.uploader) ?? new Set<string>();
    slots.add(slot);
    this.#byUploader.set(record.uploader, slots);
  }
}
