/**
 * Wake latency: from the response to a write on the API server to the guest's first host
 * call in the reconcile it causes (a log line the host stamps with the monotonic clock as it
 * writes it), for a warm operator (idle policy `never`) and for a suspended one (`immediate`,
 * restored from its snapshot for every event; its guest holds `ballastBytes` of
 * incompressible memory). One host process from dist/, the API server in another.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectPath } from '../../src/project-path.ts';
import type { KubeClient } from '../../src/kube/index.ts';
import { create, writeOperatorsFile } from './fleet.ts';
import { HostProcess, type HostLogLine } from './host-process.ts';

export interface WakeLatencyOptions {
  kube: KubeClient;
  kubeconfigPath: string;
  module: string;
  workDir: string;
  samples: number;
  ballastBytes: number;
  log(message: string): void;
}

/** Milliseconds per sample, from the write's response and from the moment the write was sent. */
export interface WakeSamples {
  warmMs: number[];
  warmFromRequestMs: number[];
  suspendedMs: number[];
  suspendedFromRequestMs: number[];
}

const namespaces = { warm: 'wake-warm', suspended: 'wake-suspended' } as const;

export async function measureWakeLatency(options: WakeLatencyOptions): Promise<WakeSamples> {
  const { kube } = options;
  const dir = path.join(options.workDir, 'latency');
  await mkdir(dir, { recursive: true });
  for (const ns of Object.values(namespaces)) await create(kube, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const file = path.join(dir, 'operators.yaml');
  const watches = [{ apiVersion: 'v1', kind: 'ConfigMap' }];
  await writeOperatorsFile(file, [
    { name: 'warm', module: options.module, namespace: namespaces.warm, watches, idlePolicy: 'never' },
    { name: 'suspended', module: options.module, namespace: namespaces.suspended, watches, idlePolicy: 'immediate', config: { ballastBytes: options.ballastBytes } },
  ]);
  const entries = new Map<string, bigint>();
  const onLine = (line: HostLogLine) => {
    if (line.event === 'guest.log' && line.fields.message === 'reconcile' && line.stampNs !== undefined) entries.set(String(line.fields.name), line.stampNs);
  };
  const host = await HostProcess.start({
    operatorsFile: file,
    kubeconfigPath: options.kubeconfigPath,
    stateDirectory: path.join(dir, 'state'),
    nodeArgs: ['--import', projectPath('bench', 'wake', 'stamp-stderr.js')],
    onLine,
  });
  try {
    const phaseOf = async (name: string) => (await host.operators()).find((op) => op.name === `default/${name}`)?.phase;
    await host.until('both operators are up', (ops) => ops.some((op) => op.name === 'default/warm' && op.phase === 'warm') && ops.some((op) => op.name === 'default/suspended' && op.phase === 'suspended'), 60_000);
    const samples: WakeSamples = { warmMs: [], warmFromRequestMs: [], suspendedMs: [], suspendedFromRequestMs: [] };
    const warmup = Math.max(3, Math.round(options.samples / 10));
    for (const kind of ['warm', 'suspended'] as const) {
      for (let i = -warmup; i < options.samples; i++) {
        if (kind === 'suspended') {
          const deadline = performance.now() + 10_000;
          while ((await phaseOf('suspended')) !== 'suspended') {
            if (performance.now() > deadline) throw new Error('the suspended operator did not suspend again within 10 s');
            await sleep(5);
          }
        }
        // Let the host be idle, as a real event finds it (and not inside its previous call).
        await sleep(20);
        const name = `${kind}-${i + warmup}`;
        const sentNs = process.hrtime.bigint();
        await create(kube, `/api/v1/namespaces/${namespaces[kind]}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { i: String(i) } });
        const answeredNs = process.hrtime.bigint();
        const deadline = performance.now() + 10_000;
        while (!entries.has(name)) {
          if (performance.now() > deadline) throw new Error(`no reconcile of ${namespaces[kind]}/${name} within 10 s`);
          await sleep(1);
        }
        if (i < 0) continue;
        const enteredNs = entries.get(name)!;
        samples[`${kind}Ms`].push(Number(enteredNs - answeredNs) / 1e6);
        samples[`${kind}FromRequestMs`].push(Number(enteredNs - sentNs) / 1e6);
      }
      options.log(`${kind}: ${options.samples} samples`);
    }
    return samples;
  } finally {
    await host.stop();
  }
}
