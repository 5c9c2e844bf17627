// The docs' reference tables are generated from the code they describe, so they cannot
// drift: this test fails when a table differs from what the code says. To regenerate after
// changing a schema or the lifecycle table, run:
//   UPDATE_DOCS=1 npx node --test test/docs-generated.test.ts
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { builtInDefaults, fieldRows, markdownTable, parseModuleManifest, parseOperatorsYaml, statusSchema, wasmOperatorSpec } from '../src/runtime/config/index.ts';
import { phases, transitions } from '../src/runtime/lifecycle/index.ts';
import { PrometheusMetrics } from '../src/control/index.ts';

const docs = new URL('../docs/', import.meta.url);

const sections: Record<string, { file: string; render: () => string }> = {
  'wasmoperator-spec': { file: 'operators.md', render: () => markdownTable(fieldRows(wasmOperatorSpec, 'spec')) },
  'wasmoperator-status': { file: 'operators.md', render: () => markdownTable(fieldRows(statusSchema, 'status')) },
  'built-in-defaults': {
    file: 'operators.md',
    render: () => Object.entries(builtInDefaults).map(([field, value]) => `- \`spec.${field}\`: \`${value}\``).join('\n'),
  },
  metrics: {
    file: 'operators.md',
    render: () => {
      const metrics = new PrometheusMetrics(() => [], () => []);
      metrics.addClusterMetrics(() => true);
      return [
        '| Metric | Type | Labels | Meaning |',
        '|---|---|---|---|',
        ...metrics.describe().map((m) => `| \`${m.name}\` | ${m.type} | ${m.labels.map((l) => `\`${l}\``).join(', ')} | ${m.help} |`),
      ].join('\n');
    },
  },
  'control-bench': {
    file: 'benchmarks.md',
    render: () => {
      const report = JSON.parse(readFileSync(new URL('../bench/results/control.json', import.meta.url), 'utf8')) as { commit: string; node: string; machine: { cpus: number; cpuModel: string }; params: Record<string, number>; metrics: Record<string, number> };
      const mib = (v: number) => `${(v / 2 ** 20).toFixed(1)} MiB`;
      const rows: Array<[string, string, (v: number) => string]> = [
        ['cluster_idle_rss_bytes', 'host RSS, no operators', mib],
        ['cluster_rss_bytes_with_operators', `host RSS, ${report.params.operators} operators suspended`, mib],
        ['cluster_rss_bytes_per_operator', 'RSS per suspended operator', (v) => `${(v / 1024).toFixed(0)} KiB`],
        ['standby_rss_bytes', 'standby replica RSS', mib],
        ['create_to_ready_p50_ms', `created to Ready, ${report.params.operators} at once, median`, (v) => `${(v / 1000).toFixed(1)} s`],
        ['create_to_ready_p99_ms', 'created to Ready, 99th percentile', (v) => `${(v / 1000).toFixed(1)} s`],
        ['reconciles_per_operator_per_min', 'reconciles per operator per minute (the load)', String],
        ['status_writes_per_operator_per_min', 'status writes per operator per minute', String],
        ['failover_ms', `leader killed to every operator running on the standby (lease ${report.params.leaseDurationSeconds} s)`, (v) => `${(v / 1000).toFixed(1)} s`],
      ];
      return [
        '| measure | result |',
        '|---|---:|',
        ...rows.map(([metric, what, format]) => `| ${what} (\`${metric}\`) | ${format(report.metrics[metric]!)} |`),
        '',
        `Measured at commit \`${report.commit.slice(0, 10)}\` on ${report.machine.cpus} × ${report.machine.cpuModel}, Node ${report.node}.`,
      ].join('\n');
    },
  },
  'lifecycle-table': {
    file: 'architecture.md',
    render: () =>
      [
        '| phase | accepted events (-> next phase) |',
        '|---|---|',
        ...phases.map((p) => `| **${p}** | ${Object.entries(transitions[p]).map(([event, next]) => `\`${event}\` -> ${next}`).join(', ')} |`),
      ].join('\n'),
  },
};

function region(text: string, name: string): { start: number; end: number } {
  const begin = `<!-- BEGIN GENERATED: ${name} -->\n`;
  const start = text.indexOf(begin);
  const end = text.indexOf(`<!-- END GENERATED: ${name} -->`);
  assert.ok(start >= 0 && end > start, `docs need the markers for "${name}"`);
  return { start: start + begin.length, end };
}

for (const [name, { file, render }] of Object.entries(sections)) {
  test(`docs/${file} shows the ${name} the code defines`, () => {
    const url = new URL(file, docs);
    const text = readFileSync(url, 'utf8');
    const { start, end } = region(text, name);
    const expected = `${render()}\n`;
    if (process.env.UPDATE_DOCS === '1') writeFileSync(url, text.slice(0, start) + expected + text.slice(end));
    else assert.equal(text.slice(start, end), expected, `docs/${file} is stale: regenerate with UPDATE_DOCS=1 (see this test's header)`);
  });
}

test('every WasmOperator and module manifest example in docs/operators.md is valid', () => {
  const text = readFileSync(new URL('operators.md', docs), 'utf8');
  const examples = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => /kind: WasmOperator/.test(y));
  assert.ok(examples.length >= 2, 'the guide shows examples');
  for (const yaml of examples) assert.ok(parseOperatorsYaml(yaml, 'docs/operators.md').operators.length > 0);
  for (const json of [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!)) parseModuleManifest(json, 'docs/operators.md');
});
