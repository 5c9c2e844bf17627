/**
 * The Go SDK: its own Go unit tests (run natively by `go test`: the codec, objects, paths,
 * conditions, and the API helpers against a fake host), and its conformance guest against the
 * ABI harness (the cases every SDK's guest runs, sdk/conformance.case.ts), built as users build
 * operators, by `wasm-operator build`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { buildOperator } from '../../src/build/index.ts';
import { ensureGo } from '../../src/build/toolchains/go/go-install.ts';
import { conformanceCases } from '../conformance.case.ts';

const SDK = fileURLToPath(new URL('./', import.meta.url));
const GUEST = fileURLToPath(new URL('./conformance/main.go', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../test/conformance/guest-manifest.yaml', import.meta.url));

test('the SDK\'s Go unit tests pass (go test, natively)', async () => {
  const go = await ensureGo();
  const env: NodeJS.ProcessEnv = { ...process.env, GOTOOLCHAIN: 'local', GOPROXY: 'off', GOFLAGS: '', GOWORK: 'off', CGO_ENABLED: '0', GOROOT: go.goroot, GOCACHE: `${go.cacheDir}/build` };
  delete env.GOOS;
  delete env.GOARCH;
  const { stdout } = await promisify(execFile)(go.go, ['test', '-count=1', './...'], { cwd: SDK, env });
  assert.match(stdout, /^ok\s+wasm-operator\.dev\/operator\s/m);
});

const built = () => buildOperator(GUEST, { manifest: MANIFEST });

test('the Go conformance guest is an ABI v1 reactor that imports only what the host provides', async () => {
  const out = await built();
  const module = await WebAssembly.compile(out.wasm);
  assert.deepEqual(WebAssembly.Module.exports(module).map((e) => `${e.kind} ${e.name}`).sort(), [
    'function _initialize', 'function wo_abi_version', 'function wo_alloc', 'function wo_init', 'function wo_reconcile', 'memory memory',
  ]);
  for (const imp of WebAssembly.Module.imports(module)) {
    assert.ok(['wasm_operator', 'wasi_snapshot_preview1'].includes(imp.module), `${imp.module}.${imp.name}`);
  }
  assert.equal(out.lang, 'go');
});

let wasm: Promise<Uint8Array> | undefined;
conformanceCases('go', () => (wasm ??= built().then((out) => out.wasm)));
