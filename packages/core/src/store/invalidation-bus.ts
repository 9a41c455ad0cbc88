/**
 * Tells every verification cache that a key changed (revoked, deactivated, regenerated, deleted),
 * so that it is refused at once. The in-process bus reaches caches of this process;
 * `@claude-auth/redis` has one that reaches every instance.
 */

/** A key changed: caches must forget it. */
export interface KeyInvalidation {
  keyId: string;
}

export interface InvalidationBus {
  publish(event: KeyInvalidation): Promise<void>;
  /** Returns a function that unsubscribes. */
  subscribe(listener: (event: KeyInvalidation) => void): () => void;
  close?(): Promise<void>;
}

/**
 * An {@link InvalidationBus} inside one process.
 *
 * @example
 * ```ts
 * const bus = new LocalInvalidationBus();
 * bus.subscribe(({ keyId }) => cache.evict(keyId));
 * await bus.publish({ keyId: 'key_123' });
 * ```
 */
export class LocalInvalidationBus implements InvalidationBus {
  readonly #listeners = new Set<(event: KeyInvalidation) => void>();

  async publish(event: KeyInvalidation): Promise<void> {
    for (const listener of this.#listeners) listener(event);
  }

  subscribe(listener: (event: KeyInvalidation) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
