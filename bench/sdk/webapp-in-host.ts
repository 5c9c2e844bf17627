/**
 * One SDK's `webapp` in a real host against the embedded API server: two copies of the
 * operator, one kept warm (idlePolicy never) for its resident memory, one suspended after
 * every call (idlePolicy immediate), woken `wakes` times by changes to its WebApp, for its
 * snapshot size on disk and the host's own restore times (as it logs them: restore only).
 */
import { readFile } from 'node:fs/promises';
import { projectPath } from '../../src/project-path.ts';
import { HostFixture } from '../../test/support/host-fixture.ts';

export interface InHost {
  /** Linear memory of the warm copy after it settled its WebApp. */
  residentBytes: number;
  /** The suspended copy's snapshots on disk (base image and latest delta). */
  snapshotBytes: number;
  /** The host's restore times, one per wake from disk. */
  wakeMs: number[];
}

export async function webappInHost(wasm: Uint8Array, wakes: number, memoryLimit?: string): Promise<InHost> {
  const fx = await HostFixture.start();
  try {
    await fx.apply(await readFile(projectPath('examples', 'webapp', 'crd.yaml'), 'utf8'));
    const settled = async (ns: string) => {
      await fx.apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
      const apps = `/apis/example.com/v1/namespaces/${ns}/webapps`;
      await fx.request('POST', apps, { apiVersion: 'example.com/v1', kind: 'WebApp', metadata: { name: 'web' }, spec: { replicas: 1 } });
      await fx.waitFor(`/apis/apps/v1/namespaces/${ns}/deployments/web`, (_, status) => status === 200);
      await fx.request('PATCH', `/apis/apps/v1/namespaces/${ns}/deployments/web/status`, { status: { replicas: 1, readyReplicas: 1 } }, 'application/merge-patch+json');
      await fx.waitFor<{ status?: { readyReplicas?: number } }>(`${apps}/web`, (app) => app.status?.readyReplicas === 1);
      return apps;
    };
    const report = (name: string) => fx.host!.operators().find((r) => r.name === `default/${name}`)!;
    const settings = (ns: string) => ({
      watches: [{ apiVersion: 'example.com/v1', kind: 'WebApp', namespace: ns }],
      ...(memoryLimit === undefined ? {} : { memoryLimit }),
    });
    await fx.run('warm', wasm, { ...settings('warm'), idlePolicy: 'never' });
    await fx.run('idle', wasm, { ...settings('idle'), idlePolicy: 'immediate' });
    await settled('warm');
    const idleApps = await settled('idle');
    const woke = () => fx.logs.filter((l) => l.event === 'operator.woke' && l.fields.operator === 'default/idle' && l.fields.from === 'snapshot');
    for (let i = 0; i < wakes; i++) {
      const before = woke().length;
      await fx.until('the idle operator is suspended', () => report('idle').phase === 'suspended');
      await fx.request('PATCH', `${idleApps}/web`, { metadata: { labels: { round: String(i) } } }, 'application/merge-patch+json');
      await fx.until('it is woken from its snapshot', () => woke().length > before);
    }
    await fx.until('the idle operator is suspended', () => report('idle').phase === 'suspended');
    return { residentBytes: report('warm').residentBytes, snapshotBytes: report('idle').snapshotBytes, wakeMs: woke().map((l) => Number(l.fields.ms)) };
  } finally {
    await fx.stop();
  }
}
