import { type ReactNode } from 'react';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { Chart } from 'react-chartjs-2';
import { count, usd } from '../format.js';
import type { DailyPoint } from '../shapes.js';

// Only the pieces used (tree-shaken). Chart.js draws on a canvas and sets sizes through the
// CSSOM, which the console's CSP (`style-src 'self'`) allows: no inline style tags or eval.
ChartJS.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);

/** Which series a chart shows. */
export type ChartSeries = 'requests' | 'tokens' | 'cost';

const COLORS: Record<ChartSeries, string> = {
  requests: '#4f46e5',
  tokens: '#0d9488',
  cost: '#c2410c',
};

/** Daily bars (first series) and lines (the others, each on its own axis). */
export function UsageChart(props: {
  points: readonly DailyPoint[];
  series: readonly ChartSeries[];
  label: string;
}): ReactNode {
  const labels = props.points.map((point) => point.day.slice(5));
  const value = (point: DailyPoint, series: ChartSeries): number =>
    series === 'requests' ? point.requests : series === 'tokens' ? point.tokens : point.costUsd;
  const totals = props.series
    .map((series) => {
      const total = props.points.reduce((sum, point) => sum + value(point, series), 0);
      if (series === 'cost') return usd(total);
      return `${count(total)} ${total === 1 ? series.slice(0, -1) : series}`;
    })
    .join(', ');
  const datasets = props.series.map((series, index) => ({
    type: index === 0 ? ('bar' as const) : ('line' as const),
    label: series === 'cost' ? 'cost (USD)' : series,
    data: props.points.map((point) => value(point, series)),
    backgroundColor: COLORS[series],
    borderColor: COLORS[series],
    yAxisID: `y${index}`,
    pointRadius: 2,
  }));
  const scales = Object.fromEntries([
    ['x', { offset: true, ticks: { maxRotation: 0, autoSkipPadding: 8 } }],
    ...props.series.map((series, index) => [
      `y${index}`,
      {
        position: index === 0 ? 'left' : 'right',
        beginAtZero: true,
        ticks: series === 'cost' ? {} : { precision: 0 },
        display: index < 2,
        grid: { drawOnChartArea: index === 0 },
        title: { display: true, text: series === 'cost' ? 'USD' : series },
      },
    ]),
  ]);
  return (
    <figure className="chart">
      <div className="chart-box">
        <Chart
          type="bar"
          role="img"
          aria-label={`${props.label}: ${totals} over ${props.points.length} days`}
          data={{ labels, datasets }}
          options={{
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            plugins: { legend: { position: 'bottom' } },
            scales,
          }}
        />
      </div>
      <figcaption>
        {props.label}: {totals}
      </figcaption>
    </figure>
  );
}
