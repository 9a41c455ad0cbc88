import * as api from '../src/index.js';
import { expect, it } from 'vitest';
import { exportList } from '../../testing/src/export-list.js';

it('exports exactly these runtime names (update the snapshot only for an intended API change)', () => {
  expect(exportList(api)).toMatchInlineSnapshot(`
    [
      "DEFAULT_STORE_URL: string",
      "createAnthropicClient: function",
      "createRuntime: function",
      "openStore: function",
      "parseStoreUrl: function",
      "redactUrl: function",
    ]
  `);
});
