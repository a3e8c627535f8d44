/**
 * The benchmark chart: requests/s and p99 latency per contender per workload at c=64
 * (round 1 and round 2 side by side), rendered to SVG with Vega-Lite, headless. Cells that
 * did not measure their workload (non-2xx answers, see report.mjs) are left out.
 */
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { WORKLOADS } from './contenders.mjs';
import { measured } from './report.mjs';

/** Panels in the order of contenders.mjs's workloads. */
const ORDER = Object.keys(WORKLOADS);

/** @param {any} results the bench results JSON @returns {Promise<string>} SVG text */
export async function renderChart(results) {
  const values = results.contenders.flatMap((c) =>
    c.cells
      .filter((x) => x.connections === 64 && measured(x))
      .map((x) => ({ contender: c.label, workload: x.workload, round: `round ${x.round}`, rps: x.rps, p99: x.p99 })),
  );
  const panel = (field, title) => ({
    title,
    width: 150,
    height: 160,
    mark: 'bar',
    encoding: {
      x: { field: 'contender', type: 'nominal', axis: { labels: false, title: null } },
      xOffset: { field: 'round' },
      y: { field, type: 'quantitative', title: null },
      color: { field: 'contender', type: 'nominal', legend: { orient: 'bottom', columns: 3, title: null, labelLimit: 400 } },
      opacity: { field: 'round', type: 'ordinal', scale: { range: [1, 0.55] }, legend: { orient: 'bottom', title: null } },
      tooltip: [{ field: 'contender' }, { field: 'round' }, { field, format: '.1f' }],
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    vconcat: [
      {
        facet: { column: { field: 'workload', type: 'nominal', title: 'requests/s at 64 connections (higher is better)', sort: ORDER } },
        spec: panel('rps', ''),
        resolve: { scale: { y: 'independent' } },
      },
      {
        facet: { column: { field: 'workload', type: 'nominal', title: 'p99 latency, ms, at 64 connections (lower is better)', sort: ORDER } },
        spec: panel('p99', ''),
        resolve: { scale: { y: 'independent' } },
      },
    ],
    resolve: { scale: { y: 'independent' } },
    config: { font: 'sans-serif', background: 'white' },
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
