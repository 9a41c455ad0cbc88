// Sums every package's vitest JSON report into the one line CI reads: "N passed, N failed" (and
// ", N skipped" when a suite skipped tests, e.g. locally without PostgreSQL or Redis).
import fs from 'node:fs';
import path from 'node:path';

const failedSteps = Number(process.argv[2] ?? 0);
const roots = ['packages', 'apps', 'bench'];
let passed = 0;
let failed = 0;
let skipped = 0;
const skippedIn = [];
for (const root of roots) {
  if (!fs.existsSync(root)) continue;
  const dirs = root === 'bench' ? ['.'] : fs.readdirSync(root);
  for (const dir of dirs) {
    const file = path.join(root, dir, '.vitest-report.json');
    if (!fs.existsSync(file)) continue;
    const report = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
    const fileSkipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    skipped += fileSkipped;
    // A suite that failed to load counts as a failure even though it ran no test.
    failed += (report.testResults ?? []).filter(
      (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
    ).length;
    console.log(
      `${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
        (fileSkipped ? `, ${fileSkipped} SKIPPED` : ''),
    );
    if (fileSkipped) skippedIn.push(`${dir} (${fileSkipped})`);
  }
}
failed += failedSteps;
if (skipped) console.log(`!! skipped tests in: ${skippedIn.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
