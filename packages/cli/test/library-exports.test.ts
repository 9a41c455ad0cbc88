import { expect, it } from 'vitest';
import * as api from '../src/index.js';

it('exports the CLI only: the runtime wiring lives in @claude-auth/runtime', () => {
  expect(Object.keys(api).sort()).toEqual([
    'EXIT_CODES',
    'InvalidInputError',
    'describeFailure',
    'run',
  ]);
});
