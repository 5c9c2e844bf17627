import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkManifest, findManifest, loadManifest } from './manifest.ts';

test('a manifest with watches, owns, permissions and config passes; all are optional', () => {
  assert.deepEqual(checkManifest({}), []);
  assert.deepEqual(checkManifest({
    watches: [{ apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop' }],
    owns: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
    permissions: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'create'] }],
    config: { defaultImage: 'nginx:1.27' },
  }), []);
});

test('each problem names its field', () => {
  assert.deepEqual(checkManifest({
    watches: [{ apiVersion: 'v1' }, 'ConfigMap'],
    owns: {},
    permissions: [{ apiGroups: [''], resources: [], verbs: [1] }],
    config: [],
  }), [
    'watches[0].kind: required string',
    'watches[1]: must be an object',
    'owns: must be a list of {apiVersion, kind}',
    'permissions[0].resources: must be a non-empty list of strings',
    'permissions[0].verbs: must be a non-empty list of strings',
    'config: must be an object',
  ]);
  assert.deepEqual(checkManifest('watches: []'), ['the manifest must be an object (watches, owns, permissions, config)']);
});

test('the manifest is found beside the entry or in its parent, YAML before JSON', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'manifest-'));
  await mkdir(path.join(dir, 'assembly'));
  const entry = path.join(dir, 'assembly', 'index.ts');
  assert.equal(await findManifest(entry), undefined);
  await writeFile(path.join(dir, 'manifest.json'), '{}');
  assert.equal(await findManifest(entry), path.join(dir, 'manifest.json'));
  await writeFile(path.join(dir, 'manifest.yaml'), '');
  assert.equal(await findManifest(entry), path.join(dir, 'manifest.yaml'));
  await writeFile(path.join(dir, 'assembly', 'manifest.yml'), '');
  assert.equal(await findManifest(entry), path.join(dir, 'assembly', 'manifest.yml'));
});

test('loading a broken manifest says which file and what is wrong', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'manifest-'));
  const bad = path.join(dir, 'manifest.yaml');
  await writeFile(bad, 'watches:\n  - kind: ConfigMap\n');
  await assert.rejects(loadManifest(bad), (err: Error) => {
    assert.match(err.message, new RegExp(`${bad} is not a valid manifest:\\n  watches\\[0\\]\\.apiVersion: required string`));
    return true;
  });
  await writeFile(bad, 'watches: [\n');
  await assert.rejects(loadManifest(bad), /is not valid YAML/);
  await assert.rejects(loadManifest(path.join(dir, 'none.yaml')), /cannot read manifest/);
});
