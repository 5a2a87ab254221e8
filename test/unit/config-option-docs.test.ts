import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { moduleCatalog } from '../../module-catalog.js';
import { usageFor } from '../../server/cli/usage.js';
import { coreOptionDocs } from '../../server/config/index.js';
import { allOptionNames } from '../../server/config/option-docs.js';
import { coreOptionShape } from '../../server/config/core-options.js';

/**
 * Option names written in the example, set (`name: value,`) or in a comment (`//   name: value,`):
 * the first word of a line, a colon, and the start of a value (prose such as `default: ws://…` is not one).
 */
function exampleNames(): Set<string> {
  const text = readFileSync(new URL('../../prosody.cfg.example.ts', import.meta.url), 'utf8');
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^\s*(?:\/\/\s*)?([a-z][a-z0-9_]*):\s+(?:[[{'"\d-]|true\b|false\b|process\.env)/.exec(line);
    if (match !== null) names.add(match[1]!);
  }
  return names;
}

describe('option descriptions', () => {
  test('every core option has a one-line description, listed with its default', () => {
    const docs = coreOptionDocs();
    expect(docs.map((doc) => doc.name)).toEqual(Object.keys(coreOptionShape));
    for (const doc of docs) {
      expect([doc.name, doc.description.length > 10, doc.description.includes('\n')]).toEqual([doc.name, true, false]);
    }
    expect(docs.find((doc) => doc.name === 'c2s_stanza_size_limit')).toMatchObject({ defaultValue: 262_144, scope: 'global' });
  });

  test('every option of every module in the catalog has a description', () => {
    let options = 0;
    for (const definition of moduleCatalog.values()) {
      for (const [name, schema] of Object.entries(definition.options ?? {})) {
        options++;
        expect([definition.name, name, (z.globalRegistry.get(schema)?.description ?? '').length > 5]).toEqual([definition.name, name, true]);
      }
    }
    expect(options).toBeGreaterThan(30);
  });

  test('a description belongs to its own option only', () => {
    const descriptions = coreOptionDocs().map((doc) => doc.description);
    expect(new Set(descriptions).size).toBe(descriptions.length);
  });
});

describe('every option is documented where users look (the catalog is the reference)', () => {
  // When a test here fails, the message lists the option names to document: add each to
  // prosody.cfg.example.ts (set to its default, or in a comment with an example value) and give
  // its schema a `.describe(...)` so that `salon check --help` lists it.
  const options = allOptionNames(moduleCatalog);

  test('prosody.cfg.example.ts names every core and module option (the http_* listener options too)', () => {
    const documented = exampleNames();
    const missingFromExample = options.filter((name) => !documented.has(name));
    expect({ missingFromExample }).toEqual({ missingFromExample: [] });
    expect(options).toEqual(expect.arrayContaining(['http_interfaces', 'http_default_host', 'http_max_content_size', 'muc_http_auth_url']));
  });

  test('prosody.cfg.example.ts names no option that does not exist (a stale or misspelt entry)', () => {
    const known = new Set([...options, ...moduleCatalog.keys(), 'hosts']);
    const unknownInExample = [...exampleNames()].filter((name) => !known.has(name));
    expect({ unknownInExample }).toEqual({ unknownInExample: [] });
  });

  test('salon check --help lists every option with its default', () => {
    const help = usageFor('check', moduleCatalog);
    const listed = new Set([...help.matchAll(/^ {2,4}([a-z][a-z0-9_]*) = /gm)].map((match) => match[1]!));
    const missingFromHelp = options.filter((name) => !listed.has(name));
    expect({ missingFromHelp }).toEqual({ missingFromHelp: [] });
    expect(help).toContain('  http:\n    http_ports = [5280]\n        Plain HTTP ports');
  });
});
