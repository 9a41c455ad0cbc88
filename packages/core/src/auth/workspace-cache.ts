import type { WorkspaceRecord } from '../store/key-store.js';

interface Entry {
  workspace: WorkspaceRecord | null;
  expiresAt: number;
}

/**
 * A short-lived, bounded cache of workspace lookups (`null` for unknown ids), so that checking a
 * request's workspace does not hit the store on the hot path. Cleared on any key invalidation;
 * one entry is dropped when its workspace changes (archived, limits changed: published as a
 * workspace invalidation).
 *
 * @example
 * ```ts
 * const workspaces = new WorkspaceCache({ ttlMs: 5_000, maxEntries: 1_000 });
 * let ws = workspaces.get(id, Date.now());
 * if (ws === undefined) workspaces.set(id, (ws = await store.getWorkspace(id)), Date.now());
 * ```
 */
export class WorkspaceCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: { ttlMs: number; maxEntries: number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
  }

  /** The cached workspace, `null` for a cached unknown id, `undefined` when not cached. */
  get(id: string, now: number): WorkspaceRecord | null | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.#entries.delete(id);
      return undefined;
    }
    return entry.workspace;
  }

  set(id: string, workspace: WorkspaceRecord | null, now: number): void {
    if (this.#ttlMs <= 0) return;
    this.#entries.delete(id);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(id, { workspace, expiresAt: now + this.#ttlMs });
  }

  /** Forgets one workspace. */
  delete(id: string): void {
    this.#entries.delete(id);
  }

  clear(): void {
    this.#entries.clear();
  }
}
