/**
 * `pnpm --dir bench debits`: the SQLite store's cost per spend debit, as the gateway makes them
 * (forced usage debits, each with its own time-ordered id), when the debits of one event-loop
 * turn are committed together. Prints CPU and wall time per debit for groups of 1, 4, 18 and 50,
 * and for groups of 18 whose ids include one already known (the one-by-one path the store falls
 * back to). DEBIT_BENCH_GROUPS (default 2000) groups per row, after 200 of warm-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteKeyStore } from '@claude-auth/sqlite';

const groups = Number(process.env.DEBIT_BENCH_GROUPS ?? 2000);
let sequence = 0;
const debit = (
  debitId = `req_${Date.now().toString(36)}${(sequence++).toString(36).padStart(8, '0')}:usage`,
) => ({
  workspaceId: 'wrkspc_bench',
  period: '2026-11',
  amountMicros: 1234,
  limitMicros: 5_000_000_000,
  force: true,
  debitId,
});

async function row(size: number, known: boolean): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'claude-auth-debits-'));
  const store = SqliteKeyStore.open(path.join(dir, 'keys.db'));
  try {
    const first = debit();
    await store.debitSpend(first);
    const issue = () =>
      Promise.all(
        Array.from({ length: size }, (_, i) =>
          store.debitSpend(known && i === size - 1 ? first : debit()),
        ),
      );
    for (let i = 0; i < 200; i++) await issue();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    for (let i = 0; i < groups; i++) await issue();
    const wallNs = Number(process.hrtime.bigint() - start);
    const used = process.cpuUsage(cpu);
    const n = groups * size;
    const label = known ? `${size} (one id known)` : String(size);
    return `| ${label} | ${((used.user + used.system) / n).toFixed(2)} | ${(used.system / n).toFixed(2)} | ${(wallNs / 1000 / n).toFixed(2)} |`;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`\n### SQLite spend debits (${groups} groups per row)\n`);
console.log('| debits per group | CPU µs per debit | of which system | wall µs per debit |');
console.log('| --- | ---: | ---: | ---: |');
for (const [size, known] of [
  [1, false],
  [4, false],
  [18, false],
  [50, false],
  [18, true],
] as const) {
  console.log(await row(size, known));
}
