import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { moduleCatalog } from '../../salon.js';
import { coreOptionDocs, coreOptionShape } from '../../server/config/index.js';

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
