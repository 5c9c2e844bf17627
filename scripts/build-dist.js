#!/usr/bin/env node
// Bundles the CLI (and everything it imports lazily) into dist/ as plain JavaScript.
//
// Why: Node strips TypeScript types with a WebAssembly transformer whose memory is never
// returned, and that costs the host 20-50 MB of RSS (measured on Node 26: a trivial .ts file
// adds 17 MB; src/kube as .ts adds 49 MB, as JavaScript 10 MB). Idle memory is the product, so
// the `wasm-operator` command runs from this bundle. Dynamic imports stay lazy: each becomes
// its own chunk, loaded only when used. Dependencies stay in node_modules.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist');
await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { main: path.join(root, 'src', 'cli', 'main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
