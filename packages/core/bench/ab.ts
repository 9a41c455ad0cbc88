/**
 * Runs the A/B rows of `tasks/pipeline-tricks.ts` in interleaved rounds and prints the median
 * ops/s of each row and each kept/A ratio: `tsx bench/ab.ts [rounds] [ms per row]`.
 */
import { Bench } from 'tinybench';
import { addPipelineTrickTasks } from './tasks/pipeline-tricks.js';

const rounds = Number(process.argv[2] ?? 9);
const time = Number(process.argv[3] ?? 300);
const samples = new Map<string, number[]>();
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

for (let round = 0; round < rounds; round++) {
  const bench = new Bench({ time, warmupTime: 100 });
  // Alternate the order so neither side always runs first.
  await addPipelineTrickTasks(bench, round % 2 === 1);
  await bench.run();
  for (const task of bench.tasks) {
    const ops = task.result?.throughput.mean ?? Number.NaN;
    samples.set(task.name, [...(samples.get(task.name) ?? []), ops]);
  }
}

const rows = [...samples]
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([task, ops]) => ({ task, 'median ops/s': Math.round(median(ops)) }));
console.log(`pipeline tricks, ${rounds} rounds × ${time} ms per row (node ${process.version})`);
console.table(rows);
for (const kept of rows.filter((row) => row.task.endsWith('(kept)'))) {
  const prefix = kept.task.slice(0, kept.task.indexOf(','));
  const without = rows.find((row) => row.task.startsWith(prefix) && row.task.endsWith('(A)'))!;
  console.log(`${kept.task}: ×${(kept['median ops/s'] / without['median ops/s']).toFixed(2)} vs A`);
}
