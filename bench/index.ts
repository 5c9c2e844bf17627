import type { BenchEntry } from './benchmark.ts';
import { ringCompareFlags, ringFlags } from './ring/ring-flags.ts';

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
  sdk: {
    description: 'The webapp operator in every SDK (as, js, c, go): module size, resident memory, snapshot size, cold wake (restore from disk + reconcile), warm reconcile time',
    options: [{ flags: '--sdks <list>', description: 'comma-separated SDKs to measure (as, js, c, go)', defaultValue: 'as,js,c,go' }],
    load: async () => (await import('./sdk.ts')).default,
  },
  snapshot: {
    description: 'suspend/restore time and snapshot size (1, 16, 64 MiB live), RSS after suspending 100 instances, fuel-check overhead',
    options: [
      { flags: '--instances <n>', description: 'instances suspended for the RSS measurement', defaultValue: '100' },
      { flags: '--instance-mib <n>', description: 'live memory of each of those instances, in MiB', defaultValue: '4' },
      { flags: '--dir <path>', description: 'where snapshots are written (default: the OS temp dir)' },
    ],
    load: async () => (await import('./snapshot.ts')).default,
  },
  ring: {
    description: 'The ring experiment (IEEE CloudNet 2022): N operators pass a nonce around; memory (PSS), round trips, CPU, API requests',
    options: ringFlags,
    load: async () => (await import('./ring/ring-bench.ts')).default,
  },
  'ring-compare': {
    description: 'The ring experiment for every variant side by side at N = 100 (10 with --quick), with the issue\'s ratios',
    options: ringCompareFlags,
    load: async () => (await import('./ring/ring-compare.ts')).default,
  },
  wake: {
    description: 'The host: wake latency (warm, suspended), reconciles/s with 100 operators, idle RSS with 1, 100 and 1,000 suspended operators',
    load: async () => (await import('./wake/wake-bench.ts')).default,
  },
};
