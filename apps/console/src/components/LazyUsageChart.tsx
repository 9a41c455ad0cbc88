import { lazy, Suspense, type ComponentProps, type ReactNode } from 'react';
import type { UsageChart as Chart } from './UsageChart.js';

// Chart.js is most of the bundle and only the detail views draw charts: load it on first use.
const UsageChartModule = lazy(() =>
  import('./UsageChart.js').then((module) => ({ default: module.UsageChart })),
);

/** {@link Chart}, loaded on demand. */
export function UsageChart(props: ComponentProps<typeof Chart>): ReactNode {
  return (
    <Suspense fallback={<p aria-busy="true">Loading chart…</p>}>
      <UsageChartModule {...props} />
    </Suspense>
  );
}
