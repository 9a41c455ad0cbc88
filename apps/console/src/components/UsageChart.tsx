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
  type Chart as ChartInstance,
  type Plugin,
  type Scale,
} from 'chart.js';
import { Chart } from 'react-chartjs-2';
import { count, usd } from '../format.js';
import { labelStep, type DailyPoint } from '../shapes.js';

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

/**
 * Writes what was drawn onto the canvas as data attributes, for tests and for anyone checking
 * the chart without reading pixels: the x labels shown and whether any bar or point fell outside
 * the plot area.
 */
const drawnFacts: Plugin<'bar'> = {
  id: 'drawnFacts',
  afterRender(chart: ChartInstance<'bar'>) {
    const area = chart.chartArea;
    const x = chart.scales.x;
    let clipped = false;
    chart.data.datasets.forEach((_, index) => {
      for (const element of chart.getDatasetMeta(index).data) {
        const {
          x: cx,
          y,
          width,
        } = element.getProps(['x', 'y', 'width'], true) as {
          x: number;
          y: number;
          width?: number;
        };
        const half = (width ?? 0) / 2;
        if (cx - half < area.left - 0.5 || cx + half > area.right + 0.5 || y < area.top - 0.5)
          clipped = true;
      }
    });
    chart.canvas.dataset.xLabels = (x?.ticks ?? [])
      .map((tick) => tick.label)
      .filter((label) => typeof label === 'string' && label !== '')
      .join(' ');
    chart.canvas.dataset.clipped = String(clipped);
  },
};

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
    [
      'x',
      {
        // offset: each day is a whole category with half a slot of room at both ends, so the
        // first and last bars sit fully inside the plot.
        offset: true,
        grid: { offset: true },
        ticks: {
          maxRotation: 0,
          autoSkip: false,
          callback(this: Scale, _value: number | string, index: number): string {
            const axes = Math.min(2, props.series.length) * 55;
            const step = labelStep(labels.length, this.chart.width - axes);
            return (labels.length - 1 - index) % step === 0 ? (labels[index] ?? '') : '';
          },
        },
      },
    ],
    ...props.series.map((series, index) => [
      `y${index}`,
      {
        position: index === 0 ? 'left' : 'right',
        beginAtZero: true,
        // Room above the tallest bar or point, so it is not cut at the top edge.
        grace: '10%',
        ticks:
          series === 'cost'
            ? { callback: (tick: number | string) => usd(Number(tick)) }
            : { precision: 0 },
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
            plugins: {
              legend: { position: 'bottom' },
              tooltip: {
                callbacks: {
                  label: (item) =>
                    `${item.dataset.label ?? ''}: ${
                      props.series[item.datasetIndex] === 'cost'
                        ? usd(item.parsed.y ?? 0)
                        : count(item.parsed.y ?? 0)
                    }`,
                },
              },
            },
            scales,
          }}
          plugins={[drawnFacts]}
        />
      </div>
      <figcaption>
        {props.label}: {totals}
      </figcaption>
    </figure>
  );
}
