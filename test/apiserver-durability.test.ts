/**
 * Durable storage: a restarted server keeps objects, resourceVersions and watch history, and
 * a server killed with SIGKILL in the middle of a stream of writes loses none it acknowledged.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { configMap, KubeHttp } from './support/kube-http.ts';

const bin = new URL('../bin/wasm-operator.js', import.meta.url).pathname;
const cms = '/api/v1/namespaces/default/configmaps';

async function withDataDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'apiserver-data-'));
  try {
    await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('a restarted server keeps objects, resourceVersions and the history watches resume from', () => withDataDir(async (dir) => {
  const first = await KubeHttp.start({ dataDir: dir });
  const a = (await first.post(cms, configMap('a', { v: '1' }))).body;
  const b = (await first.post(cms, configMap('b'))).body;
  const updated = (await first.put(`${cms}/a`, { ...a, data: { v: '2' } })).body;
  await first.delete(`${cms}/b`);
  await first.close();

  const second = await KubeHttp.start({ dataDir: dir });
  try {
    const got = (await second.get(`${cms}/a`)).body;
    assert.deepEqual(got, updated);
    assert.equal((await second.get(`${cms}/b`)).status, 404);
    const watch = await second.watch(`${cms}?watch=true&resourceVersion=${b.metadata.resourceVersion}`);
    const events = await watch.take(2);
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['MODIFIED', 'a'], ['DELETED', 'b']]);
    watch.close();
    const next = (await second.post(cms, configMap('c'))).body;
    assert.ok(Number(next.metadata.resourceVersion) > Number(updated.metadata.resourceVersion), 'resourceVersions keep growing');
  } finally {
    await second.close();
  }
}));

function startChild(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'apiserver', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m !== null) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`apiserver exited with ${code}: ${err}`)));
  });
}

test('SIGKILL in the middle of a stream of writes loses no acknowledged write', () => withDataDir(async (dir) => {
  const { child, url } = await startChild(dir);
  const acknowledged = new Map<string, string>();
  let stop = false;
  // Four writers at once, so that some writes are in flight (not acknowledged) when the kill lands.
  const writer = async (id: number) => {
    for (let i = 0; !stop; i++) {
      const name = `w${id}-${i}`;
      try {
        const res = await fetch(`${url}${cms}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(configMap(name, { i: String(i) })) });
        if (res.status !== 201) throw new Error(`status ${res.status}`);
        const body = (await res.json()) as { metadata: { resourceVersion: string } };
        acknowledged.set(name, body.metadata.resourceVersion);
      } catch {
        return; // the server is gone
      }
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  while (acknowledged.size < 200) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));

  const restarted = await KubeHttp.start({ dataDir: dir });
  try {
    const items = (await restarted.get(cms)).body.items as { metadata: { name: string; resourceVersion: string } }[];
    const stored = new Map(items.map((i) => [i.metadata.name, i.metadata.resourceVersion]));
    for (const [name, rv] of acknowledged) assert.equal(stored.get(name), rv, `${name} was acknowledged at ${rv}`);
    assert.ok(acknowledged.size >= 200);
  } finally {
    await restarted.close();
  }
}));
