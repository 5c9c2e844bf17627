/**
 * One SDK's `webapp` in the host's engine and ABI session (sdk/test/abi-harness.ts), with
 * snapshots in files on disk as the host keeps them, reconciling a WebApp whose Deployment,
 * Service and status are current (so the reconcile reads the cache and writes nothing):
 * - a cold wake: restore the suspended operator from its snapshot files into a fresh instance
 *   of the compiled module, then enter `wo_reconcile` until it returns;
 * - a warm reconcile: the same call into a live instance.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FsSnapshotStore } from '../../src/wasm/index.ts';
import { AbiHarness, cacheOf, type HarnessHandlers } from '../../sdk/test/abi-harness.ts';

const request = { apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop', name: 'web' };
const init = { abiVersion: 1, operator: { name: 'webapp' }, config: { defaultImage: 'nginx:1.27' } };

/** A WebApp whose Deployment and Service exist and whose status is current. */
function settledWorld(): HarnessHandlers {
  const owner = [{ apiVersion: 'example.com/v1', kind: 'WebApp', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }];
  const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'webapp' };
  const meta = { name: 'web', namespace: 'shop', ownerReferences: owner, labels };
  return {
    ...cacheOf([
      {
        apiVersion: 'example.com/v1', kind: 'WebApp',
        metadata: { name: 'web', namespace: 'shop', uid: 'uid-web', generation: 1, finalizers: ['example.com/webapp-cleanup'] },
        spec: { image: 'nginx:1.27', replicas: 1, port: 80 },
        status: {
          observedGeneration: 1, readyReplicas: 1,
          conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: '2024-01-01T00:00:00Z', reason: 'ReplicasReady', message: '1/1 replicas ready' }],
        },
      },
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
        spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] }] } } },
        status: { readyReplicas: 1 },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    ]),
    kube: () => ({ status: 500, body: { kind: 'Status', message: 'the benchmark expects no API request' } }),
  };
}

export interface InSession {
  /** Restore from disk + wo_reconcile, one per round. */
  coldWakeMs: number[];
  /** wo_reconcile into a live instance, one per round. */
  warmReconcileMs: number[];
  /** Linear memory after the warm rounds (it would grow if reconciles leaked). */
  residentAfterRoundsBytes: number;
}

async function settled(guest: AbiHarness): Promise<void> {
  const result = await guest.reconcile(request);
  if (result.kind !== 'done' || guest.requests.length > 0) throw new Error(`the settled webapp reconcile was not a no-op: ${JSON.stringify(result)} after ${JSON.stringify(guest.requests)}`);
}

export async function webappInSession(wasm: Uint8Array, rounds: { cold: number; warm: number }): Promise<InSession> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-sdk-'));
  try {
    // As the host runs it: started cold, init, base snapshot, a settled reconcile, suspended.
    const guest = await AbiHarness.load(wasm, { ...settledWorld(), snapshots: await FsSnapshotStore.open(dir) });
    await guest.init(init);
    await guest.snapshot('base');
    await settled(guest);
    await guest.suspend();
    const coldWakeMs: number[] = [];
    for (let i = 0; i < rounds.cold; i++) {
      const start = performance.now();
      await guest.wake();
      await settled(guest);
      coldWakeMs.push(performance.now() - start);
      await guest.suspend();
    }
    await guest.wake();
    const warmReconcileMs: number[] = [];
    for (let i = 0; i < rounds.warm; i++) {
      const start = performance.now();
      await guest.reconcile(request);
      warmReconcileMs.push(performance.now() - start);
    }
    await settled(guest);
    return { coldWakeMs, warmReconcileMs, residentAfterRoundsBytes: guest.memoryBytes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
