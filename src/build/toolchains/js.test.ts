import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildJsOperator } from './js.ts';
import { providedImports, requiredExports } from '../../abi/index.ts';
import { imageSectionName, WasmEngine } from '../../wasm/index.ts';

const cacheDir = fileURLToPath(new URL('../../../.cache/wasm-operator', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`../../../sdk/js/test/fixtures/${name}`, import.meta.url));

describe('the js toolchain', () => {
  test('two operators carry byte-identical engines and differ only in their image', async () => {
    const a = await buildJsOperator(fixture('sdk-exercise.ts'), { cacheDir });
    const b = await buildJsOperator(fixture('no-init.ts'), { cacheDir });
    assert.equal(a.engineBytes, b.engineBytes);
    assert.deepEqual(a.module.subarray(0, a.engineBytes), b.module.subarray(0, b.engineBytes));
    assert.equal(a.module[a.engineBytes], 0, 'what follows the engine is a custom section');
    const image = WebAssembly.Module.customSections(new WebAssembly.Module(a.module), imageSectionName);
    assert.equal(image[0]?.byteLength, a.imageBytes);
    assert.ok(a.scriptBytes > b.scriptBytes);
  });

  test('in the host\'s engine, JS operators share one compiled engine, and each starts from its own image', async () => {
    const a = await buildJsOperator(fixture('sdk-exercise.ts'), { cacheDir });
    const b = await buildJsOperator(fixture('no-init.ts'), { cacheDir });
    const engine = new WasmEngine({ reclaimMemory: false });
    const load = (bytes: Uint8Array, source: string) => engine.load(bytes, { source, maxMemoryBytes: 64 << 20, imports: providedImports, requiredExports });
    const [ma, mb] = [await load(a.module, 'a.wasm'), await load(b.module, 'b.wasm')];
    assert.equal(ma.code, mb.code, 'one compiled engine');
    assert.notEqual(ma.digest, mb.digest);
    assert.ok(ma.image !== undefined && mb.image !== undefined);
    assert.equal(ma.image.header.moduleDigest, ma.code.digest, 'an image names the code it was made from');
    assert.notDeepEqual(ma.image.header.snapshotId, mb.image.header.snapshotId);
    // No guest code runs on a cold start from an image: the memory is the image's, to the byte.
    const imports = providedImports.map((spec) => ({ ...spec, fn: () => 0, suspending: false }));
    const instance = await engine.instantiate(ma, { operator: 'a', imports });
    assert.equal(instance.residentBytes, a.memoryBytes);
  });

  test('a script that throws while loading fails the build with its error', async () => {
    await assert.rejects(buildJsOperator(fixture('throws-at-load.ts'), { cacheDir }), (err: Error) => {
      assert.match(err.message, /threw while loading/);
      assert.match(err.message, /broken at load/);
      return true;
    });
  });

  test('host calls and environment reads at load time fail the build and say where they belong', async () => {
    await assert.rejects(buildJsOperator(fixture('api-at-load.ts'), { cacheDir }), /read the cache while loading.*from init or reconcile/);
    await assert.rejects(buildJsOperator(fixture('env-at-load.ts'), { cacheDir }), /environment variable while loading.*frozen into the image/);
  });

  test('an entry without a reconcile export is refused', async () => {
    await assert.rejects(buildJsOperator(fixture('no-reconcile.ts'), { cacheDir }), /must export a `reconcile` function/);
  });

  test('syntax errors name the file and line', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wo-js-'));
    const entry = path.join(dir, 'broken.ts');
    await writeFile(entry, 'export function reconcile( {\n');
    await assert.rejects(buildJsOperator(entry, { cacheDir }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'BUILD_FAILED');
      assert.match(err.message, /broken\.ts:\d+:\d+/);
      return true;
    });
    await assert.rejects(buildJsOperator(path.join(dir, 'missing.ts'), { cacheDir }), /does not exist/);
  });
});
