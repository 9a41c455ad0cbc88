/**
 * The core micro-benchmarks. Each area contributes one `add…Tasks(bench)` function under
 * `bench/tasks/`; to add rows (key format, hashing, authenticate), write a task file and list it
 * in {@link TASK_GROUPS}. Run with `pnpm --filter @claude-auth/core bench [group…]`.
 */
import { Bench, type BenchOptions } from 'tinybench';
import { addContractTasks } from './tasks/contract.js';

/** Adds one area's tasks to a bench. */
export type AddTasks = (bench: Bench) => void;

/** Every task group, by name. Add a line per area. */
export const TASK_GROUPS: Readonly<Record<string, AddTasks>> = {
  contract: addContractTasks,
};

/**
 * Creates a bench with the named groups' tasks (all groups when `groups` is empty).
 *
 * @example
 * ```ts
 * const bench = createMicroBench(['contract'], { time: 200 });
 * await bench.run();
 * console.table(bench.table());
 * ```
 */
export function createMicroBench(
  groups: readonly string[] = [],
  options: BenchOptions = {},
): Bench {
  const bench = new Bench({ name: 'claude-auth core', time: 500, warmupTime: 100, ...options });
  const selected = groups.length === 0 ? Object.keys(TASK_GROUPS) : groups;
  for (const group of selected) {
    const add = TASK_GROUPS[group];
    if (add === undefined) {
      throw new Error(
        `Unknown bench group ${group}: expected one of ${Object.keys(TASK_GROUPS).join(', ')}`,
      );
    }
    add(bench);
  }
  return bench;
}
