import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { BuildCache } from './build-cache.ts';

test('a cached module is returned while its inputs are unchanged, and dropped when one changes', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'build-cache-'));
  const input = path.join(dir, 'index.ts');
  await writeFile(input, 'v1');
  const cache = new BuildCache(path.join(dir, 'cache'));
  const key = BuildCache.key({ entry: input });
  assert.equal(await cache.get(key), undefined);
  await cache.put(key, new Uint8Array([1, 2, 3]), [input]);
  assert.deepEqual(await cache.get(key), new Uint8Array([1, 2, 3]));
  await writeFile(input, 'v2');
  assert.equal(await cache.get(key), undefined);
});

test('keys differ when any build setting differs', () => {
  assert.notEqual(BuildCache.key({ entry: 'a', optimize: true }), BuildCache.key({ entry: 'a', optimize: false }));
  assert.equal(BuildCache.key({ entry: 'a' }), BuildCache.key({ entry: 'a' }));
});
