/** Runs the micro-benchmarks and prints one table: `tsx bench/run.ts [group…]`. */
import { createMicroBench } from './micro.bench.js';

const bench = createMicroBench(process.argv.slice(2));
await bench.run();

console.log(`\n${bench.name ?? 'bench'} (node ${process.version})`);
console.table(
  bench.tasks.map((task) => {
    const result = task.result;
    if (result === undefined || result.error !== undefined) {
      return { task: task.name, 'ops/s': 'n/a', 'mean (µs)': 'n/a', 'p99 (µs)': 'n/a', samples: 0 };
    }
    return {
      task: task.name,
      'ops/s': Math.round(result.throughput.mean).toLocaleString('en-US'),
      'mean (µs)': (result.latency.mean * 1000).toFixed(3),
      'p99 (µs)': ((result.latency.p99 ?? Number.NaN) * 1000).toFixed(3),
      samples: result.latency.samples.length,
    };
  }),
);
