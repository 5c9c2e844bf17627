/**
 * The JS `webapp` in a real host against the embedded API server: each change to its WebApp
 * wakes the suspended operator (restore from disk), reconciles it, and suspends it again
 * (`idlePolicy: immediate`). Reads what the host itself measures: wake (restore) times from its
 * metrics, resident bytes while warm and snapshot bytes on disk from its operator reports.
 */
import { readFile } from 'node:fs/promises';
import type { HostMetrics } from '../src/runtime/index.ts';
import { projectPath } from '../src/project-path.ts';
import { HostFixture } from '../test/support/host-fixture.ts';
import { percentile } from './benchmark.ts';

const APPS = '/apis/example.com/v1/namespaces/shop/webapps';

export interface HostFigures {
  wakes: number;
  /** Median time the host took to restore the operator from disk. */
  wakeMs: number;
  wakeP99Ms: number;
  /** Linear memory of the warm instance, as the host reports it. */
  residentBytes: number;
  /** The operator's snapshots on disk (base image and latest delta). */
  snapshotBytes: number;
}

/** Runs `wasm` (the JS webapp) in a host and changes its WebApp `changes` times. */
export async function webappInHost(wasm: Uint8Array, changes: number): Promise<HostFigures> {
  const wakeMs: number[] = [];
  let residentBytes = 0;
  const fx = await HostFixture.start();
  const metrics: HostMetrics = {
    wake: (_operator, from, durationMs) => {
      if (from === 'restore') wakeMs.push(durationMs);
    },
    reconcile: () => {
      residentBytes = Math.max(residentBytes, fx.host?.operators()[0]?.residentBytes ?? 0);
    },
    suspend: () => {},
    guestRequest: () => {},
  };
  try {
    await fx.apply(await readFile(projectPath('examples', 'webapp', 'crd.yaml'), 'utf8'));
    await fx.apply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    await fx.startHost({ metrics });
    await fx.run('webapp', wasm, { idlePolicy: 'immediate' });
    await fx.request('POST', APPS, { apiVersion: 'example.com/v1', kind: 'WebApp', metadata: { name: 'web' }, spec: { replicas: 1 } });
    const report = () => fx.host!.operators()[0]!;
    for (let i = 0; i < changes; i++) {
      const before = report().wakeUps;
      await fx.request('PATCH', `${APPS}/web`, { spec: { replicas: 1 + (i % 5) } }, 'application/merge-patch+json');
      await fx.until('the operator woke, reconciled and slept again', () => report().wakeUps > before && report().phase === 'suspended');
    }
    return { wakes: wakeMs.length, wakeMs: percentile(wakeMs, 50), wakeP99Ms: percentile(wakeMs, 99), residentBytes, snapshotBytes: report().snapshotBytes };
  } finally {
    await fx.stop();
  }
}
