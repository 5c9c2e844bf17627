import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { findManifest, loadManifest } from './manifest.ts';

async function manifestFile(name: string, text: string): Promise<string> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'manifest-')), name);
  await writeFile(file, text);
  return file;
}

test('a YAML manifest with watches, owns, permissions and config loads as the schema reads it', async () => {
  const file = await manifestFile('manifest.yaml', [
    'watches: [{apiVersion: example.com/v1, kind: WebApp, namespace: shop}]',
    'owns: [{apiVersion: apps/v1, kind: Deployment}]',
    'permissions: [{apiGroups: [apps], resources: [deployments], verbs: [get, create]}]',
    'config: {defaultImage: "nginx:1.27"}',
  ].join('\n'));
  assert.deepEqual(await loadManifest(file), {
    watches: [{ apiVersion: 'example.com/v1', kind: 'WebApp', namespace: 'shop' }],
    owns: [{ apiVersion: 'apps/v1', kind: 'Deployment' }],
    permissions: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'create'] }],
    config: { defaultImage: 'nginx:1.27' },
  });
  assert.deepEqual(await loadManifest(await manifestFile('manifest.yaml', '')), {}); // every field is optional
});

test('every problem is reported at once, each naming the file and the field', async () => {
  const file = await manifestFile('manifest.yaml', 'watches: [{apiVersion: v1}]\nidlepolicy: never\n');
  await assert.rejects(loadManifest(file), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'INVALID_OPERATOR');
    assert.match(err.message, /manifest watches\[0\]\.kind: Required value/);
    assert.match(err.message, /manifest idlepolicy: Unknown field: did you mean "idlePolicy"\?/);
    return true;
  });
});

test('a manifest that is not YAML or JSON, or not there, says so', async () => {
  await assert.rejects(loadManifest(await manifestFile('manifest.yaml', 'watches: [\n')), /is not valid YAML/);
  await assert.rejects(loadManifest(await manifestFile('manifest.json', '{')), /is not valid JSON/);
  await assert.rejects(loadManifest(path.join(tmpdir(), 'no-such-dir', 'manifest.yaml')), /cannot read manifest/);
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
