// Runs the offline mock upstream alone (for benches): PORT (default 8081), MOCK_STREAM_DELAY_MS.
import { MOCK_UPSTREAM_KEY, startMockUpstream } from './mock-upstream.js';

const mock = await startMockUpstream({
  port: Number(process.env.PORT ?? 8081),
  host: process.env.HOST ?? '127.0.0.1',
  streamDelayMs: Number(process.env.MOCK_STREAM_DELAY_MS ?? 0),
});
console.log(`mock-upstream (offline, echo) listening on ${mock.url}; key: ${MOCK_UPSTREAM_KEY}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void mock.close().then(() => process.exit(0)));
}
