/**
 * CPU pinning: the server and the load generator run on different cores (`taskset -c`) when the
 * machine has at least two and `taskset` exists, so the generator never steals the server's core.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The core each side is pinned to (when pinning is possible). */
export const SERVER_CPU = 0;
export const GENERATOR_CPU = 1;

const commandCache = new Map<string, boolean>();

/**
 * Whether an executable is on the PATH.
 *
 * @example
 * ```ts
 * if (hasCommand('wrk')) useWrk();
 * ```
 */
export function hasCommand(name: string): boolean {
  let found = commandCache.get(name);
  if (found === undefined) {
    found = spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
    commandCache.set(name, found);
  }
  return found;
}

/**
 * Whether pinning is in effect on this machine.
 *
 * @example
 * ```ts
 * console.log(canPin() ? 'pinned' : 'not pinned');
 * ```
 */
export function canPin(): boolean {
  return process.platform === 'linux' && availableParallelism() >= 2 && hasCommand('taskset');
}

/**
 * Prefixes a command with `taskset -c <cpu>` when pinning is possible. `taskset` execs the
 * command, so the spawned pid is the command's own (its /proc entry is the server's).
 *
 * @example
 * ```ts
 * const [file, ...args] = pinned([process.execPath, 'server.js'], SERVER_CPU);
 * ```
 */
export function pinned(command: readonly string[], cpu: number): string[] {
  return canPin() ? ['taskset', '-c', String(cpu), ...command] : [...command];
}
