import { ensureBuilt } from './build.js';

/** Builds the demo's dependencies once per test run, before any file spawns a demo process. */
export default async function setup(): Promise<void> {
  await ensureBuilt();
}
