import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from './metric-registry.ts';
import { collectProcessMetrics } from './process-metrics.ts';

test('renders counters, gauges and histograms in the Prometheus text format, labels escaped', async () => {
  const registry = new Registry();
  const requests = new Counter({ name: 'requests_total', help: 'Requests, by outcome', labelNames: ['outcome'], registers: [registry] });
  new Counter({ name: 'starts_total', help: 'Starts (none yet)', registers: [registry] });
  const phase = new Gauge({ name: 'phase', help: 'Phase\nper operator', labelNames: ['operator', 'phase'], registers: [registry] });
  const wake = new Histogram({ name: 'wake_ms', help: 'Wake time', labelNames: ['from'], buckets: [5, 1], registers: [registry] });
  requests.inc({ outcome: 'sent' });
  requests.inc({ outcome: 'sent' }, 2);
  requests.inc({ outcome: 'forbidden' });
  phase.set({ operator: 'default/"odd"\\name', phase: 'warm' }, 1);
  wake.observe({ from: 'restore' }, 0.5);
  wake.observe({ from: 'restore' }, 3);
  wake.observe({ from: 'restore' }, 7);
  assert.equal(await registry.metrics(), [
    '# HELP requests_total Requests, by outcome',
    '# TYPE requests_total counter',
    'requests_total{outcome="sent"} 3',
    'requests_total{outcome="forbidden"} 1',
    '# HELP starts_total Starts (none yet)',
    '# TYPE starts_total counter',
    'starts_total 0',
    '# HELP phase Phase\\nper operator',
    '# TYPE phase gauge',
    'phase{operator="default/\\"odd\\"\\\\name",phase="warm"} 1',
    '# HELP wake_ms Wake time',
    '# TYPE wake_ms histogram',
    'wake_ms_bucket{from="restore",le="1"} 1',
    'wake_ms_bucket{from="restore",le="5"} 2',
    'wake_ms_bucket{from="restore",le="+Inf"} 3',
    'wake_ms_sum{from="restore"} 10.5',
    'wake_ms_count{from="restore"} 3',
    '',
  ].join('\n'));
  assert.equal(registry.contentType, 'text/plain; version=0.0.4; charset=utf-8');
  assert.deepEqual(registry.getMetricsAsArray().map((m) => [m.name, m.type, m.labelNames]), [
    ['requests_total', 'counter', ['outcome']], ['starts_total', 'counter', []], ['phase', 'gauge', ['operator', 'phase']], ['wake_ms', 'histogram', ['from']],
  ]);
});

test('a gauge filled by its collect hook at each scrape drops label sets it no longer reports', async () => {
  const registry = new Registry();
  let operators = ['a', 'b'];
  new Gauge({
    name: 'operator_up', help: 'Operators', labelNames: ['operator'], registers: [registry],
    collect() {
      this.reset();
      for (const op of operators) this.set({ operator: op }, 1);
    },
  });
  assert.match(await registry.metrics(), /operator_up\{operator="b"\} 1/);
  operators = ['a'];
  assert.doesNotMatch(await registry.metrics(), /operator="b"/);
});

test('mistakes are refused: an unknown label, a counter going down, a name used twice', () => {
  const registry = new Registry();
  const counter = new Counter({ name: 'x_total', help: 'x', labelNames: ['a'], registers: [registry] });
  assert.throws(() => counter.inc({ b: '1' }), /no label "b"/);
  assert.throws(() => counter.inc({ a: '1' }, -1), /only go up/);
  assert.throws(() => new Gauge({ name: 'x_total', help: 'again', registers: [registry] }), /already registered/);
  assert.throws(() => new Gauge({ name: 'bad-name', help: 'x' }), /not a valid metric name/);
});

test('process metrics report the host\'s own CPU, memory and heap', async () => {
  const registry = new Registry();
  collectProcessMetrics(registry, 'host_');
  const text = await registry.metrics();
  for (const name of ['host_process_cpu_seconds_total', 'host_process_resident_memory_bytes', 'host_process_start_time_seconds', 'host_nodejs_heap_size_used_bytes']) {
    const value = Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.ok(value > 0, `${name} is reported: ${value}`);
  }
  assert.match(text, /^# TYPE host_process_cpu_seconds_total counter$/m);
  assert.match(text, new RegExp(`^host_nodejs_version_info\\{version="${process.version}"\\} 1$`, 'm'));
});
