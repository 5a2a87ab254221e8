/**
 * The pure parts of http_roster_admin and block_subscriptions: the URL template, the backend's
 * roster document, roster diffs, fetch coalescing, the refresh body and summary, the load-time
 * rules and the presence filter.
 */
import { describe, expect, test } from '@jest/globals';
import { isBlockedPresence } from '../../roster/plugins/index.js';
import { CoalescedFetches } from '../../roster/plugins/http_roster_admin/coalesced-fetches.js';
import {
  optionWarnings, rosterUrlOf, validateHttpRosterAdminOptions, type HttpRosterAdminOptions,
} from '../../roster/plugins/http_roster_admin/options.js';
import { mapLimited, normaliseUsername, parseUsernameList, summarise } from '../../roster/plugins/http_roster_admin/refresh-request.js';
import { diffRosters } from '../../roster/plugins/http_roster_admin/roster-diff.js';
import { parseRosterDocument } from '../../roster/plugins/http_roster_admin/roster-document.js';
import { expandRosterUrl, rosterUrlFor } from '../../roster/plugins/http_roster_admin/url-template.js';
import { percentEncode } from '../../server/net/percent-encode.js';
import { emptyRoster, type Roster } from '../../roster/index.js';

describe('URL template', () => {
  test('usernames are percent-encoded byte by byte, unreserved characters kept', () => {
    expect(percentEncode('a+b')).toBe('a%2Bb');
    expect(percentEncode("x y#?%/&=!'()*")).toBe('x%20y%23%3F%25%2F%26%3D%21%27%28%29%2A');
    expect(percentEncode('jörg-._~')).toBe('j%C3%B6rg-._~');
  });

  test('every %s is replaced, %% becomes %, any other % stays', () => {
    expect(expandRosterUrl('http://h/c%20x/%s?u=%s', 'john')).toBe('http://h/c%20x/john?u=john');
    expect(expandRosterUrl('http://h/%%s/%s%', 'a b')).toBe('http://h/%s/a%20b%');
    expect(expandRosterUrl('http://h/contacts', 'john')).toBe('http://h/contacts');
  });
});

describe('roster document', () => {
  function items(body: string): unknown {
    const parsed = parseRosterDocument(body);
    if (!parsed.ok) throw new Error(parsed.error);
    return Object.fromEntries(parsed.value.roster.items);
  }

  test('groups as object keys or as an array; name only when a string', () => {
    expect(items('{"a@x.org": {"name": "A", "groups": {"F": true, "G": 0}}, "b@x.org": {"name": 7, "groups": ["A", 3, "B", "A", ""]}}')).toEqual({
      'a@x.org': { jid: 'a@x.org', name: 'A', groups: ['F', 'G'], subscription: 'both' },
      'b@x.org': { jid: 'b@x.org', groups: ['A', 'B'], subscription: 'both' },
    });
  });

  test('non-object values are contacts without name or groups; JIDs are normalised', () => {
    expect(items('{"Carol@X.org/phone": true, "dave@x.org": null, "carol@x.org": "x"}')).toEqual({
      'carol@x.org': { jid: 'carol@x.org', groups: [], subscription: 'both' },
      'dave@x.org': { jid: 'dave@x.org', groups: [], subscription: 'both' },
    });
  });

  test('invalid JIDs are skipped and reported', () => {
    const parsed = parseRosterDocument('{"@x.org": {}, "ok@x.org": {}}');
    expect(parsed.ok && [...parsed.value.roster.items.keys()]).toEqual(['ok@x.org']);
    expect(parsed.ok && parsed.value.invalid).toEqual(['@x.org']);
  });

  test('{} and [] are empty rosters; anything else fails', () => {
    expect(items('{}')).toEqual({});
    expect(items('[]')).toEqual({});
    for (const body of ['oops', '', 'null', '"x"', '["a@x.org"]', '42', 'true']) expect(parseRosterDocument(body).ok).toBe(false);
  });
});

function rosterOf(entries: Record<string, { name?: string; groups?: string[] }>): Roster {
  const roster = emptyRoster();
  for (const [jid, { name, groups }] of Object.entries(entries)) {
    roster.items.set(jid, { jid, subscription: 'both', groups: groups ?? [], ...(name === undefined ? {} : { name }) });
  }
  return roster;
}

test('diff: added, removed, and renamed or regrouped contacts; group order is no change', () => {
  const before = rosterOf({ a: { name: 'A', groups: ['x', 'y'] }, b: { name: 'B' }, c: {}, d: { groups: ['g'] } });
  const after = rosterOf({ a: { name: 'A', groups: ['y', 'x'] }, c: { name: 'C' }, d: { groups: ['h'] }, e: {} });
  const diff = diffRosters(before, after);
  expect(diff.added.map((i) => i.jid)).toEqual(['e']);
  expect(diff.removed).toEqual(['b']);
  expect(diff.changed.map((i) => i.jid)).toEqual(['c', 'd']);
});

describe('coalesced fetches', () => {
  /** A fetch function whose calls are answered by hand. */
  function manual(): { fetches: CoalescedFetches<string>; calls: string[]; answer: (value: string) => void } {
    const calls: string[] = [];
    const pending: ((value: string) => void)[] = [];
    const fetches = new CoalescedFetches<string>((key) => {
      calls.push(key);
      return new Promise((resolve) => pending.push(resolve));
    });
    return { fetches, calls, answer: (value) => pending.shift()!(value) };
  }

  test('joiners share the fetch in flight', async () => {
    const { fetches, calls, answer } = manual();
    const first = fetches.join('john');
    const second = fetches.join('john');
    const other = fetches.join('marie');
    expect(calls).toEqual(['john', 'marie']);
    answer('j1');
    answer('m1');
    expect(await Promise.all([first, second, other])).toEqual(['j1', 'j1', 'm1']);
    expect(fetches.isPending('john')).toBe(false);
  });

  test('refreshes during a fetch queue exactly one more, whose result wins', async () => {
    const { fetches, calls, answer } = manual();
    const get = fetches.join('john');
    const refreshA = fetches.again('john');
    const refreshB = fetches.again('john');
    const lateGet = fetches.join('john');
    expect(calls).toEqual(['john']);
    answer('old');
    expect(await get).toBe('old');
    expect(calls).toEqual(['john', 'john']);
    answer('new');
    expect(await Promise.all([refreshA, refreshB, lateGet])).toEqual(['new', 'new', 'new']);
    expect(fetches.isPending('john')).toBe(false);
    const next = fetches.again('john');
    expect(calls).toHaveLength(3);
    answer('third');
    expect(await next).toBe('third');
  });
});

describe('refresh requests', () => {
  test('only a JSON array of strings is a username list', () => {
    expect(parseUsernameList(Buffer.from('["john", "aaron"]'))).toEqual(['john', 'aaron']);
    expect(parseUsernameList(Buffer.from('[]'))).toEqual([]);
    for (const body of ['', 'not json', 'null', 'false', '{"a": 1}', '"john"', '[1, "john"]', '[null]']) {
      expect(parseUsernameList(Buffer.from(body))).toBeUndefined();
    }
  });

  test('usernames are normalised like local parts', () => {
    expect(normaliseUsername('JOHN')).toBe('john');
    expect(normaliseUsername('a+b')).toBe('a+b');
    for (const bad of ['', 'john@example.com', 'a/b', 'a b']) expect(normaliseUsername(bad)).toBeUndefined();
  });

  test('the summary is an error only when nothing succeeded', () => {
    expect(summarise(0, 0)).toEqual({ status: 'ok', message: 'roster update complete', updated: 0, errors: 0 });
    expect(summarise(1, 1)).toEqual({ status: 'ok', message: 'roster update complete', updated: 1, errors: 1 });
    expect(summarise(0, 2)).toEqual({ status: 'error', message: 'roster update failed', updated: 0, errors: 2 });
  });

  test('mapLimited keeps order and never runs more than the limit', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapLimited([...Array(20).keys()], 8, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await Promise.resolve();
      await Promise.resolve();
      running -= 1;
      return n * 2;
    });
    expect(results).toEqual([...Array(20).keys()].map((n) => n * 2));
    expect(peak).toBe(8);
  });
});

describe('load-time rules', () => {
  const base: HttpRosterAdminOptions = { http_roster_url: 'https://app.example/contacts/%s', http_roster_timeout: 10 };

  test('fatal: not an absolute http(s) URL, or a bad Authorization value; each names its option', () => {
    expect(validateHttpRosterAdminOptions(base)).toBeUndefined();
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_url: 'not a url' })).toMatch(/^option "http_roster_url"/);
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_url: '/contacts/%s' })).toMatch(/http_roster_url/);
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_url: 'ftp://h/%s' })).toMatch(/http_roster_url/);
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_authorization_header: '' })).toMatch(/"http_roster_authorization_header"/);
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_admin_authorization_header: 'Bearer a\nb' })).toMatch(/"http_roster_admin_authorization_header"/);
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_admin_authorization_header: 'Bearer k' })).toBeUndefined();
  });

  test('warnings: no %s, plain http to another host, open endpoints on a public interface', () => {
    expect(optionWarnings(base, { isPublic: false })).toEqual([]);
    expect(optionWarnings({ ...base, http_roster_url: 'http://127.0.0.1/contacts' }, { isPublic: false })).toEqual([expect.stringContaining('no %s')]);
    expect(optionWarnings({ ...base, http_roster_url: 'http://app.example/%s' }, { isPublic: false })).toEqual([expect.stringContaining('plain http')]);
    expect(optionWarnings(base, { isPublic: true })).toEqual([expect.stringContaining('http_roster_admin_authorization_header')]);
    expect(optionWarnings({ ...base, http_roster_admin_authorization_header: 'k' }, { isPublic: true })).toEqual([]);
  });

  test('an unset http_roster_url keeps the spec\'s default but says so (never silently http://localhost/%s)', () => {
    const unset: HttpRosterAdminOptions = { http_roster_timeout: 10 };
    expect(rosterUrlOf(unset)).toBe('http://localhost/%s');
    expect(validateHttpRosterAdminOptions(unset)).toBeUndefined();
    expect(optionWarnings(unset, { isPublic: false })).toEqual(['http_roster_url is not set: rosters are fetched from the default http://localhost/%s; set it to the backend\'s roster URL']);
  });
});

test('presence filter: bare JIDs lose all but available, unavailable and probe; full JIDs and domains the subscriptions', () => {
  for (const kind of ['bare', 'full', 'host'] as const) {
    for (const type of [undefined, 'unavailable', 'probe']) expect(isBlockedPresence(type, kind)).toBe(false);
    for (const type of ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']) expect(isBlockedPresence(type, kind)).toBe(true);
    expect(isBlockedPresence('error', kind)).toBe(kind === 'bare');
    expect(isBlockedPresence('bogus', kind)).toBe(kind === 'bare');
  }
});

describe('usernames that would move the roster URL', () => {
  test('. and .. are refused (a dot segment, escaped or not, changes the path); other names fill their place', () => {
    const template = 'http://backend/api/users/%s/contacts';
    expect(rosterUrlFor(template, '..')).toBeUndefined();
    expect(rosterUrlFor(template, '.')).toBeUndefined();
    // Why escaping would not do: the URL parser fetch uses treats %2E%2E as `..` too.
    expect(new URL('http://backend/api/users/%2E%2E/contacts').pathname).toBe('/api/contacts');
    expect(rosterUrlFor(template, '...')).toBe('http://backend/api/users/.../contacts');
    expect(rosterUrlFor(template, '.hidden')).toBe('http://backend/api/users/.hidden/contacts');
    expect(rosterUrlFor(template, 'a/../b')).toBe('http://backend/api/users/a%2F..%2Fb/contacts');
    expect(new URL(rosterUrlFor(template, 'a/../b')!).pathname).toBe('/api/users/a%2F..%2Fb/contacts');
  });
});
