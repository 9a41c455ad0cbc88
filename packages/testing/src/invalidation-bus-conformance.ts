import type { InvalidationBus, KeyInvalidation } from '@claude-auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * What an invalidation-bus conformance factory returns: two buses on one channel, as two service
 * instances would hold them (for an in-process bus, the same bus twice), and how to dispose of them.
 */
export interface InvalidationBusFixture {
  publisher: InvalidationBus;
  subscriber: InvalidationBus;
  /** Runs after each test. When absent, `close()` is called on both buses. */
  cleanup?: () => Promise<void>;
}

/** How long a published invalidation may take to reach another instance (the contract: 1 s). */
const DELIVERY_MS = 1000;
/** How long to keep listening for a duplicate after the first delivery. */
const SETTLE_MS = 100;

function collect(bus: InvalidationBus): { events: KeyInvalidation[]; off: () => void } {
  const events: KeyInvalidation[] = [];
  const off = bus.subscribe((event) => events.push(event));
  return { events, off };
}

async function until(check: () => boolean, timeoutMs = DELIVERY_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`no invalidation within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/**
 * The behaviour every {@link InvalidationBus} must have: an invalidation reaches every subscriber
 * of every instance within a second, exactly once, key and workspace ids intact; unsubscribing
 * stops delivery; publishing with no subscriber resolves. Registers a `describe` block.
 *
 * @example
 * ```ts
 * import { runInvalidationBusConformance } from '@claude-auth/testing';
 * runInvalidationBusConformance('LocalInvalidationBus', async () => {
 *   const bus = new LocalInvalidationBus();
 *   return { publisher: bus, subscriber: bus };
 * });
 * ```
 */
export function runInvalidationBusConformance(
  name: string,
  factory: () => Promise<InvalidationBusFixture>,
): void {
  describe(`InvalidationBus conformance: ${name}`, () => {
    let fixture: InvalidationBusFixture;

    beforeEach(async () => {
      fixture = await factory();
    });

    afterEach(async () => {
      if (fixture.cleanup) await fixture.cleanup();
      else {
        await fixture.publisher.close?.();
        if (fixture.subscriber !== fixture.publisher) await fixture.subscriber.close?.();
      }
    });

    it('delivers a key invalidation to the other instance and the publisher, exactly once', async () => {
      const remote = collect(fixture.subscriber);
      const own = collect(fixture.publisher);
      await fixture.publisher.publish({ keyId: 'key_revoked' });
      await until(() => remote.events.length > 0 && own.events.length > 0);
      await settle();
      expect(remote.events).toEqual([{ keyId: 'key_revoked' }]);
      expect(own.events).toEqual(
        fixture.subscriber === fixture.publisher ? remote.events : [{ keyId: 'key_revoked' }],
      );
    });

    it('carries workspace-only and combined invalidations unchanged, in order', async () => {
      const remote = collect(fixture.subscriber);
      const sent: KeyInvalidation[] = [
        { workspaceId: 'wrkspc_archived' },
        { keyId: 'key_moved', workspaceId: 'wrkspc_target' },
        { keyId: 'key_plain' },
      ];
      for (const event of sent) await fixture.publisher.publish(event);
      await until(() => remote.events.length >= sent.length);
      await settle();
      expect(remote.events).toEqual(sent);
    });

    it('reaches every subscriber; an unsubscribed listener hears nothing more', async () => {
      const first = collect(fixture.subscriber);
      const second = collect(fixture.subscriber);
      await fixture.publisher.publish({ keyId: 'key_a' });
      await until(() => first.events.length > 0 && second.events.length > 0);
      first.off();
      await fixture.publisher.publish({ keyId: 'key_b' });
      await until(() => second.events.length > 1);
      await settle();
      expect(first.events).toEqual([{ keyId: 'key_a' }]);
      expect(second.events).toEqual([{ keyId: 'key_a' }, { keyId: 'key_b' }]);
    });

    it('resolves a publish that nobody hears', async () => {
      await expect(fixture.publisher.publish({ keyId: 'key_unheard' })).resolves.toBeUndefined();
    });
  });
}
