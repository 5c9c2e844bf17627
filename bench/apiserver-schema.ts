/**
 * `wasm-operator bench apiserver-schema`: what schema support costs the embedded API server
 * per write, and what the CEL library costs when a CRD first uses rules.
 * Metrics: cr_admissions_per_s (prune, default, validate; no rules), cr_admissions_per_s_cel
 * (same with three CEL rules), cel_first_compile_ms (import of @bufbuild/cel plus the first
 * compile), cel_rss_mb (resident memory added by loading it), table_rows_per_s (pod rows).
 */
import type { Benchmark } from './benchmark.ts';
import type { JsonObject } from '../src/apiserver/json.ts';
import { compileCelRules, decodeCustomResource, validateCustomResource, type CustomResourceVersion, type JSONSchemaProps } from '../src/apiserver/schema/index.ts';
import { builtinPrinter } from '../src/apiserver/table/index.ts';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['image'],
      properties: {
        image: { type: 'string', pattern: '^[a-z0-9./:-]+$' },
        replicas: { type: 'integer', minimum: 0, maximum: 100, default: 1 },
        minReplicas: { type: 'integer', default: 0 },
        mode: { type: 'string', enum: ['fast', 'safe'], default: 'safe' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: {
          type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
          items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, port: { type: 'integer', minimum: 1, maximum: 65535 } } },
        },
      },
    },
    status: { type: 'object', properties: { phase: { type: 'string' } } },
  },
};

const rules = [
  { rule: 'self.minReplicas <= self.replicas', message: 'replicas must be at least minReplicas' },
  { rule: "self.image.startsWith('registry.example.com/') || self.mode == 'fast'" },
  { rule: 'self.ports.all(p, p.port > 0)' },
];

function sample(i: number): JsonObject {
  return {
    apiVersion: 'example.com/v1', kind: 'Gadget',
    metadata: { name: `g-${i}`, namespace: 'default', labels: { app: 'bench' } },
    spec: { image: 'registry.example.com/app:1', replicas: 3, labels: { a: 'b' }, ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }], unknown: i },
  };
}

function admissionsPerSecond(version: CustomResourceVersion, count: number): number {
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const obj = sample(i);
    decodeCustomResource(obj, version.schema);
    if (validateCustomResource(obj, undefined, version).length > 0) throw new Error('bench sample must be valid');
  }
  return Math.round(count / ((performance.now() - start) / 1000));
}

const benchmark: Benchmark = {
  async run(ctx) {
    const count = ctx.quick ? 5_000 : 50_000;
    const base: CustomResourceVersion = { apiVersion: 'example.com/v1', kind: 'Gadget', namespaced: true, schema };
    ctx.log(`admitting ${count} custom resources without rules`);
    const plain = admissionsPerSecond(base, count);

    const withRules: JSONSchemaProps = structuredClone(schema);
    withRules.properties!.spec!['x-kubernetes-validations'] = rules;
    const rssBefore = process.memoryUsage().rss;
    const compileStart = performance.now();
    const { validator } = await compileCelRules(withRules, 'openAPIV3Schema');
    const firstCompileMs = performance.now() - compileStart;
    const celRssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
    ctx.log(`admitting ${count} custom resources with ${rules.length} CEL rules`);
    const cel = admissionsPerSecond({ ...base, schema: withRules, cel: validator! }, count);

    const printer = builtinPrinter('', 'pods');
    const pod = { metadata: { name: 'web', creationTimestamp: new Date().toISOString() }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 1, state: { running: {} } }] } };
    const now = Date.now();
    const tableStart = performance.now();
    for (let i = 0; i < count * 4; i++) printer.cells(pod, now);
    const tableRows = Math.round((count * 4) / ((performance.now() - tableStart) / 1000));

    return {
      params: { objects: count, celRules: rules.length },
      metrics: {
        cr_admissions_per_s: plain,
        cr_admissions_per_s_cel: cel,
        cel_first_compile_ms: Math.round(firstCompileMs * 10) / 10,
        cel_rss_mb: Math.round(celRssMb * 10) / 10,
        table_rows_per_s: tableRows,
      },
    };
  },
};

export default benchmark;
