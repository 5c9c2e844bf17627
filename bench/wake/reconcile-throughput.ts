/**
 * Reconciles per second through one host running N warm operators, operator i watching
 * namespace wake-<i>: objects are created in every namespace at once, and the clock runs
 * from the first write until every operator has reconciled all of them (counted by the
 * host's `/operators`). Each create is one event and one reconcile (distinct names never
 * merge in a queue).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { KubeClient } from '../../src/kube/index.ts';
import { create, forEachIndex, namespaceOf, writeOperatorsFile } from './fleet.ts';
import { HostProcess } from './host-process.ts';

export interface ThroughputOptions {
  kube: KubeClient;
  kubeconfigPath: string;
  module: string;
  workDir: string;
  operators: number;
  objectsPerOperator: number;
  log(message: string): void;
}

export interface Throughput {
  reconcilesPerS: number;
  reconciles: number;
  durationMs: number;
  /** The pace of the writes that caused them: when the host keeps up, the API server sets the rate. */
  writesPerS: number;
}

export async function measureThroughput(options: ThroughputOptions): Promise<Throughput> {
  const { kube, operators, objectsPerOperator } = options;
  const dir = path.join(options.workDir, 'throughput');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'operators.yaml');
  await writeOperatorsFile(file, Array.from({ length: operators }, (_, i) => ({
    name: `busy-${i}`,
    module: options.module,
    namespace: namespaceOf(i),
    watches: [{ apiVersion: 'v1', kind: 'ConfigMap' }],
    idlePolicy: 'never',
  })));
  const host = await HostProcess.start({ operatorsFile: file, kubeconfigPath: options.kubeconfigPath, stateDirectory: path.join(dir, 'state') });
  try {
    const sum = (ops: { reconciles: number }[]) => ops.reduce((total, op) => total + op.reconciles, 0);
    const ready = await host.until(`${operators} operators are warm`, (ops) => ops.length === operators && ops.every((op) => op.phase === 'warm'), 60_000 + 100 * operators);
    const before = sum(ready);
    const expected = operators * objectsPerOperator;
    options.log(`creating ${expected} ConfigMaps across ${operators} namespaces`);
    const started = performance.now();
    await forEachIndex(0, expected, 32, (k) => create(kube, `/api/v1/namespaces/${namespaceOf(k % operators)}/configmaps`, {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `load-${Math.floor(k / operators)}` }, data: { k: String(k) },
    }));
    const writtenMs = performance.now() - started;
    const done = await host.until(`${expected} reconciles`, (ops) => sum(ops) - before >= expected, 120_000, 10);
    const durationMs = performance.now() - started;
    const reconciles = sum(done) - before;
    return { reconcilesPerS: reconciles / (durationMs / 1000), reconciles, durationMs, writesPerS: expected / (writtenMs / 1000) };
  } finally {
    await host.stop();
  }
}
