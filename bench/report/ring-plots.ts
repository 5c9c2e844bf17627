/**
 * The report's plots, as Vega-Lite specifications rendered to SVG headless (vega's own SVG
 * renderer: no browser, no canvas). Both axes are logarithmic: the variants differ by orders
 * of magnitude, and N runs from 10 to 1,000.
 */
import type { TopLevelSpec } from 'vega-lite';
import { spread, type RingGroup } from './ring-results.ts';

const mib = 2 ** 20;
const size = { width: 560, height: 340 };
const colour = { field: 'variant', type: 'nominal', title: 'variant', legend: { labelLimit: 400 } } as const;

/** N on a log scale, a little wider than the data so no point sits on the frame. */
function xAxis(groups: readonly RingGroup[]) {
  const ns = groups.map((g) => g.operators);
  const domain: number[] = [Math.min(...ns) / 1.25, Math.max(...ns) * 1.25];
  return { field: 'operators', type: 'quantitative', scale: { type: 'log', nice: false, domain }, title: 'operators in the ring (N)' } as const;
}

/** Idle PSS vs N per variant: median over runs, with a bar from the smallest to the largest run. */
export function memoryPlot(groups: readonly RingGroup[]): TopLevelSpec {
  const values = groups.flatMap((g) => {
    const s = spread(g, 'pss_idle_bytes');
    return s === undefined ? [] : [{ variant: g.variant, operators: g.operators, median: s.median / mib, min: s.min / mib, max: s.max / mib }];
  });
  return {
    ...size,
    title: 'Idle memory of the ring (summed PSS of every process of the variant)',
    data: { values },
    encoding: { x: xAxis(groups), color: colour },
    layer: [
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'median', type: 'quantitative', scale: { type: 'log' }, title: 'idle PSS (MiB)' } } },
      { mark: { type: 'rule' }, encoding: { y: { field: 'min', type: 'quantitative' }, y2: { field: 'max' } } },
    ],
  };
}

/** Round trip vs N per variant: p50 solid, p99 dashed (medians over runs). */
export function roundTripPlot(groups: readonly RingGroup[]): TopLevelSpec {
  const values = groups.flatMap((g) => (['p50', 'p99'] as const).flatMap((p) => {
    const s = spread(g, `rtt_${p}_ms`);
    return s === undefined ? [] : [{ variant: g.variant, operators: g.operators, percentile: p, ms: s.median }];
  }));
  return {
    ...size,
    title: 'Ring round trip (N hops): p50 solid, p99 dashed',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: xAxis(groups),
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'round trip (ms)' },
      color: colour,
      strokeDash: { field: 'percentile', type: 'nominal', legend: null }, // the title says which is which
      detail: { field: 'percentile', type: 'nominal' },
    },
  };
}

/** The SVG of a Vega-Lite specification. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return `${await view.toSVG()}\n`;
  } finally {
    view.finalize();
  }
}
