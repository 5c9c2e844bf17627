import type { BenchEntry } from './benchmark.ts';

/** Every benchmark by name; each module is imported only when its benchmark runs. */
export const benchmarks: Readonly<Record<string, BenchEntry>> = {
  apiserver: {
    description: 'Embedded API server over HTTP: creates/s (memory, durable), updates/s, list of 10k, watch fan-out to 100 watchers',
    options: [{ flags: '--concurrency <n>', description: 'requests in flight', defaultValue: '16' }],
    load: async () => (await import('./apiserver.ts')).default,
  },
  'apiserver-schema': {
    description: 'CRD schema support: admissions/s with and without CEL rules, CEL load cost, Table rows/s',
    load: async () => (await import('./apiserver-schema.ts')).default,
  },
  control: {
    description: 'Cluster mode: host RSS idle and with N WasmOperators, create-to-Ready time, status writes vs reconciles under churn, leader failover time',
    options: [{ flags: '--operators <n>', description: 'WasmOperators (the quick run uses 20)', defaultValue: '100' }],
    load: async () => (await import('./control.ts')).default,
  },
  cores: {
    description: 'Throughput of the runtime\'s pure cores: work queue, event router, permission check',
    load: async () => (await import('./cores.ts')).default,
  },
  'kube-client': {
    description: 'The host\'s Kubernetes client: RSS of importing it (vs @kubernetes/client-node), informer sync speed and memory per object',
    load: async () => (await import('./kube-client.ts')).default,
  },
  'sdk-as': {
    description: 'AssemblyScript SDK: webapp module size, resident memory, warm reconcile time',
    load: async () => (await import('./sdk-as.ts')).default,
  },
  'sdk-js': {
    description: 'JS/TypeScript SDK: webapp module, script and image sizes, resident memory, snapshot size, cold wake',
    load: async () => (await import('./sdk-js.ts')).default,
  },
  'sdk-go': {
    description: 'Go SDK: webapp module size, resident memory, warm reconcile time',
    load: async () => (await import('./sdk-go.ts')).default,
  },
};
