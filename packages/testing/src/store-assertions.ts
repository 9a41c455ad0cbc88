import { expect } from 'vitest';

/**
 * Asserts that `promise` rejects with the contract's `InvalidRequestError` (a 400
 * `invalid_request_error`), the error every store throws for malformed input, rather than any
 * rejection. Checked by shape, so it holds across bundle copies of core.
 *
 * @example
 * ```ts
 * await expectInvalidRequest(store.listKeys({ limit: 0 }));
 * ```
 */
export async function expectInvalidRequest(promise: Promise<unknown>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error, 'expected a rejection with InvalidRequestError').toBeInstanceOf(Error);
  expect(
    { name: (error as Error).name, type: (error as { type?: unknown }).type },
    String(error),
  ).toStrictEqual({ name: 'InvalidRequestError', type: 'invalid_request_error' });
}
