/**
 * Go operators: the entry is a file of a main package (e.g. `main.go`); its folder is built
 * with Go's own wasip1 target as a reactor (`-buildmode=c-shared`, exports through
 * `//go:wasmexport`), with the Go SDK (sdk/go, module `wasm-operator.dev/operator`) made
 * available through a generated go.work. The Go toolchain comes from go/go-install.ts.
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Toolchain, ToolchainOptions } from '../toolchain.ts';
import { goBuild } from './go/go-build.ts';
import { ensureGo } from './go/go-install.ts';
import { projectPath } from '../../project-path.ts';

const SDK_GO = projectPath('sdk', 'go');

const go: Toolchain = {
  lang: 'go',
  version: 'go-wasip1-c-shared-1',
  async build(entry: string, options: ToolchainOptions): Promise<Uint8Array> {
    const install = await ensureGo(options.log);
    const built = await goBuild(install, { dir: path.dirname(entry), workspace: [SDK_GO], optimize: options.optimize, flags: options.flags ?? [] });
    for (const file of built.inputs) options.inputs.add(file);
    options.inputs.add(fileURLToPath(import.meta.url)); // edited flags invalidate the cache
    // another Go (an upgrade of the cached one) builds another module: its VERSION is an input
    const version = path.join(install.goroot, 'VERSION');
    if (await access(version).then(() => true, () => false)) options.inputs.add(version);
    return built.wasm;
  },
};

export default go;
