/** Whether this run is CI (`CI` set to anything but `''`, `0` or `false`), where nothing may be skipped. */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** What {@link requireService} needs to know about one external service. */
export interface RequiredService {
  /** Human name, e.g. `PostgreSQL`. */
  name: string;
  /** Where it was looked for (`host:port`, never credentials). */
  where: string;
  /** Whether it answered. */
  available: boolean;
  /** How to point the tests elsewhere, e.g. `CLAUDE_AUTH_TEST_PG_URL`. */
  envVar: string;
}

/**
 * Decides what a suite does when the service it needs is missing: under CI the suite fails (this
 * throws while the test file loads, so vitest reports the file as failed and the run exits 1);
 * locally it prints a loud banner and returns `false`, so the caller's `describe.skipIf` skips
 * the tests and the run's summary counts them as skipped.
 *
 * @example
 * ```ts
 * export const PG_AVAILABLE = requireService({
 *   name: 'PostgreSQL', where: '127.0.0.1:5432', available: await postgresAnswers(),
 *   envVar: 'CLAUDE_AUTH_TEST_PG_URL',
 * });
 * describe.skipIf(!PG_AVAILABLE)('on PostgreSQL', () => { ... });
 * ```
 */
export function requireService(service: RequiredService, env = process.env): boolean {
  if (service.available) return true;
  const why = `${service.name} does not answer at ${service.where}`;
  if (underCi(env)) {
    throw new Error(
      `${why}, and CI=${env.CI} forbids skipping its tests. Start it (bash .ci/run does) or point ` +
        `${service.envVar} at one.`,
    );
  }
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! SKIPPING ${service.name} tests: ${why}.\n` +
      `!! They count as skipped in the summary; under CI=true this fails the run.\n` +
      `!! Start ${service.name} or set ${service.envVar}.\n${line}\n`,
  );
  return false;
}
