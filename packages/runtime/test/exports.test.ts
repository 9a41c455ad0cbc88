import * as api from '../src/index.js';
import * as anthropic from '../src/anthropic/index.js';
import { expect, it } from 'vitest';
import { exportList } from '../../testing/src/export-list.js';

it('exports exactly these runtime names (update the snapshot only for an intended API change)', () => {
  expect(exportList(api)).toMatchInlineSnapshot(`
    [
      "DEFAULT_STORE_URL: string",
      "createRuntime: function",
      "openStore: function",
      "parseStoreUrl: function",
      "redactUrl: function",
    ]
  `);
});

it('exports exactly these names from @claude-auth/runtime/anthropic', () => {
  expect(exportList(anthropic)).toMatchInlineSnapshot(`
    [
      "createAnthropicClient: function",
    ]
  `);
});
