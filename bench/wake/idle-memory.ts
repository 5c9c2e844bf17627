/**
 * The host's idle memory: `wasm-operator run` (from dist/) with N webapp operators, each
 * watching its own namespace with one WebApp in it, all reconciled once and then suspended;
 * memory is read once the host has been idle for a while.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { percentile } from '../benchmark.ts';
import { writeOperatorsFile } from './fleet.ts';
import { HostProcess, phaseCounts, type ProcessMemory } from './host-process.ts';

export interface IdleMemoryOptions {
  operators: number;
  /** True when each namespace holds a WebApp: wait for each operator to have reconciled it. */
  reconciled: boolean;
  /** The webapp module's file. */
  module: string;
  kubeconfigPath: string;
  workDir: string;
  /** Idle time before the first sample: the host's own idle work (GC) happens in it. */
  settleMs: number;
  samples: number;
  log(message: string): void;
}

export interface IdleMemory extends ProcessMemory {
  startMs: number;
}

export async function measureIdleMemory(options: IdleMemoryOptions): Promise<IdleMemory> {
  const { operators } = options;
  const dir = path.join(options.workDir, `idle-${operators}`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'operators.yaml');
  await writeOperatorsFile(file, Array.from({ length: operators }, (_, i) => ({
    name: `webapp-${i}`,
    module: options.module,
    namespace: `wake-${i}`,
    watches: [{ apiVersion: 'example.com/v1', kind: 'WebApp' }],
    idlePolicy: 'immediate',
  })));
  const started = performance.now();
  const host = await HostProcess.start({ operatorsFile: file, kubeconfigPath: options.kubeconfigPath, stateDirectory: path.join(dir, 'state') });
  try {
    await host.until(
      `all ${operators} operators are suspended`,
      (ops) => ops.length === operators && ops.every((op) => op.phase === 'suspended' && op.reconciles >= (options.reconciled ? 1 : 0)),
      60_000 + 200 * operators,
    ).catch(async (err: unknown) => {
      options.log(`phases: ${phaseCounts(await host.operators())}`);
      throw err;
    });
    const startMs = performance.now() - started;
    await host.scrapeMetrics();
    await sleep(options.settleMs);
    const samples: ProcessMemory[] = [];
    for (let i = 0; i < options.samples; i++) {
      samples.push(await host.memory());
      await sleep(200);
    }
    const median = (field: keyof ProcessMemory) => percentile(samples.map((s) => s[field]), 50);
    return { rssBytes: median('rssBytes'), anonBytes: median('anonBytes'), fileBytes: median('fileBytes'), pssBytes: median('pssBytes'), startMs };
  } finally {
    await host.stop();
  }
}
