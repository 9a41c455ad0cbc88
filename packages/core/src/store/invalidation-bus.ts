/**
 * Tells every verification cache that a key changed (revoked, deactivated, regenerated, deleted)
 * or a workspace changed (archived, limits changed), so that it is refused or re-read at once. The
 * in-process bus reaches caches of this process; `@claude-auth/redis` has one that reaches every
 * instance.
 */

/** A key or a workspace changed: caches must forget it. At least one of the two ids is set. */
export interface KeyInvalidation {
  /** The key that changed; absent when only a workspace changed. */
  keyId?: string;
  /** The workspace that changed (archived, renamed, limits changed). */
  workspaceId?: string;
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
 * bus.subscribe(({ keyId }) => keyId !== undefined && cache.evict(keyId));
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
