/**
 * Every example operator, built by `buildOperator` as a user would: the module has exactly
 * the ABI's exports, imports only what the host provides, carries its manifest, and stays
 * within the AssemblyScript SDK's size budget.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { buildOperator, MANIFEST_SECTION } from '../src/build/index.ts';

const EXAMPLES = ['webapp', 'configmap-replicator', 'ring', 'ttl-cleaner'];
const SIZE_BUDGET_BYTES = 100_000;

for (const name of EXAMPLES) {
  test(`${name}: an ABI v1 module with its manifest, under ${SIZE_BUDGET_BYTES} bytes`, async () => {
    const dir = new URL(`../examples/${name}/`, import.meta.url);
    const out = await buildOperator(fileURLToPath(new URL('assembly/index.ts', dir)));
    const module = await WebAssembly.compile(out.wasm);

    assert.deepEqual(WebAssembly.Module.exports(module).map((e) => `${e.kind} ${e.name}`).sort(), [
      'function _initialize', 'function wo_abi_version', 'function wo_alloc', 'function wo_init', 'function wo_reconcile', 'memory memory',
    ]);
    for (const imp of WebAssembly.Module.imports(module)) {
      assert.ok(['wasm_operator', 'wasi_snapshot_preview1'].includes(imp.module), `${imp.module}.${imp.name}`);
    }
    const sections = WebAssembly.Module.customSections(module, MANIFEST_SECTION);
    assert.equal(sections.length, 1);
    const manifest = parseYaml(await readFile(new URL('manifest.yaml', dir), 'utf8')) as unknown;
    assert.deepEqual(JSON.parse(new TextDecoder().decode(sections[0]!)), manifest);
    assert.ok(out.sizeBytes < SIZE_BUDGET_BYTES, `${out.sizeBytes} bytes`);
    assert.match(out.digest, /^sha256:[0-9a-f]{64}$/);
  });
}
