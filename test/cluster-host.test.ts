/**
 * The cluster host's failure paths: a replica that wins the Lease but cannot start its host
 * steps down (releasing the Lease) and says so, instead of holding the Lease while running
 * nothing.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { startClusterHost } from '../src/control/index.ts';
import { HostFixture } from './support/host-fixture.ts';

test('a leader whose state directory is unusable steps down and releases the Lease', async () => {
  const fx = await HostFixture.start();
  try {
    const notADirectory = path.join(fx.directory, 'state-is-a-file');
    await writeFile(notADirectory, 'x');
    const cluster = await startClusterHost({
      restConfig: fx.kube.config,
      stateDirectory: notADirectory,
      logger: fx.logger,
      identity: 'broken',
      leaderElection: { namespace: 'default', name: 'broken-host', leaseDurationMs: 1_500, renewDeadlineMs: 1_000, retryPeriodMs: 200 },
    });
    const err = await cluster.failed;
    assert.match(String(err), /EEXIST|ENOTDIR|not a directory|file already exists/);
    assert.equal(cluster.isLeader, false);
    const lease = await fx.request('GET', '/apis/coordination.k8s.io/v1/namespaces/default/leases/broken-host');
    assert.equal((lease.body as { spec: { holderIdentity?: string } }).spec.holderIdentity ?? '', '', 'released for another replica');
    assert.ok(fx.logs.some((l) => l.event === 'host.term.failed'));
    await cluster.stop();
  } finally {
    await fx.stop();
  }
});
