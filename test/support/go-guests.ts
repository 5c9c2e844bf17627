/** Test support: Go guests built by the project's own Go toolchain (installed on first use). */
import { fileURLToPath } from 'node:url';
import { ensureGo } from '../../src/build/toolchains/go/go-install.ts';
import { goBuild } from '../../src/build/toolchains/go/go-build.ts';

/** The .wasm of the Go main package in `dir` (relative to the repository), optimized as `wasm-operator build` does. */
export async function buildGoGuest(dir: string, workspace: string[] = []): Promise<Uint8Array> {
  const go = await ensureGo((message) => process.stderr.write(`${message}\n`));
  const resolve = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
  const { wasm } = await goBuild(go, { dir: resolve(dir), workspace: workspace.map(resolve), optimize: true });
  return wasm;
}
