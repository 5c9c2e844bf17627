#!/usr/bin/env node
// Checked before anything is imported: on an older Node the TypeScript sources would fail
// to load with an error that does not say what to do.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24 || typeof WebAssembly.Suspending !== 'function') {
  process.stderr.write(
    `wasm-operator needs Node.js >= 24 with WebAssembly JSPI; this is Node ${process.versions.node}.\n` +
      'Inside the project, `npm start` and `npx wasm-operator` use the Node that `npm install` brought.\n',
  );
  process.exit(1);
}

// glibc keeps memory freed after a burst (operators loading at start, snapshots being
// compressed) at its high-water mark instead of giving it back. For the commands that keep a
// host or server running, this process restarts itself once (execve: same pid, no parent
// left behind) with thresholds that make glibc return freed blocks. Measured on a host with
// 100 suspended ring operators: summed PSS 71 -> 55 MiB. Only the environment can set them,
// before the process starts; values the user set win. A process with an IPC channel to its
// parent is left as it is: the channel would not survive the exec.
const longRunning = new Set(['run', 'dev', 'demo', 'apiserver']);
if (
  process.platform === 'linux' &&
  process.channel === undefined &&
  longRunning.has(process.argv[2]) &&
  process.env.MALLOC_MMAP_THRESHOLD_ === undefined &&
  process.env.MALLOC_TRIM_THRESHOLD_ === undefined &&
  typeof process.execve === 'function'
) {
  process.execve(process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    ...process.env,
    MALLOC_MMAP_THRESHOLD_: '65536',
    MALLOC_TRIM_THRESHOLD_: '65536',
  });
}

// Run the JavaScript bundle (scripts/build-dist.js) unless a source is newer: then the
// TypeScript sources themselves, so an edit is never ignored (at the cost of more memory).
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'dist', 'main.js');

// A production install (the container image) ships the bundle without sources: 0 then.
function newestSourceMs(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMs(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

let entry = bundle;
if (!existsSync(bundle)) {
  entry = path.join(root, 'src', 'cli', 'main.ts');
} else if (Math.max(newestSourceMs(path.join(root, 'src')), newestSourceMs(path.join(root, 'bench'))) > statSync(bundle).mtimeMs) {
  process.stderr.write('wasm-operator: sources changed since the last `npm run build`; running them as TypeScript (more memory)\n');
  entry = path.join(root, 'src', 'cli', 'main.ts');
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
