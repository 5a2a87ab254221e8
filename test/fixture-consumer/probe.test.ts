import { test, expect } from '@jest/globals';
import { startServer } from 'salon';
import { tapStanzas } from 'salon/testing';
test('resolves', () => {
  expect(typeof startServer).toBe('function');
  expect(typeof tapStanzas).toBe('function');
});
