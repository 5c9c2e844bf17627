/**
 * Differential tests of exact suspend/restore: a guest that mutates its heap, stack and
 * globals pseudo-randomly runs side by side with a twin that is never suspended. The subject
 * is suspended to disk and restored into a fresh instance at hundreds of points (full and
 * delta snapshots). Every output, every log line, the final memory and the final globals
 * must be identical.
 */
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { FsSnapshotStore, WasmEngine } from '../src/wasm/index.ts';
import type { HostImport, WasmInstance } from '../src/wasm/index.ts';
import { testGuest } from './support/guests.ts';
import type { TestGuest } from './support/guests.ts';

const steps = 500;

/** A deterministic PRNG for choosing suspend points (the guests have their own). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The host function both instances call on every step; it resolves on a later turn, so the guest really suspends. */
function hostImports(): HostImport[] {
  const fn = async (x: number) => {
    await new Promise((resolve) => setImmediate(resolve));
    return Math.imul(x, 2654435761) >>> 8;
  };
  return [{ module: 'env', name: 'host_value', params: ['i32'], results: ['i32'], fn, suspending: true }];
}

function globalsOf(instance: WasmInstance): bigint[] {
  const access = instance.lockState();
  try {
    return access.readGlobals();
  } finally {
    access.release();
  }
}

async function runDifferential(guest: TestGuest, seed: bigint): Promise<void> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), `wasm-differential-${guest}-`));
  try {
    const engine = new WasmEngine();
    const store = await FsSnapshotStore.open(dir);
    const module = await engine.load(await testGuest(guest), {
      source: guest, maxMemoryBytes: 64 << 20, imports: hostImports(), requiredExports: [{ name: 'init' }, { name: 'step' }],
    });
    const logs = { twin: [] as string[], subject: [] as string[] };
    const options = (operator: 'twin' | 'subject') => ({
      operator, imports: hostImports(), wasi: { log: (stream: string, line: string) => logs[operator].push(`${stream}: ${line}`) },
    });
    const twin = await engine.instantiate(module, options('twin'));
    let subject = await engine.instantiate(module, options('subject'));
    await twin.call('init', [seed]);
    await subject.call('init', [seed]);
    await engine.snapshot(subject, store, 'base');

    const random = lcg(Number(seed & 0xffffn));
    let suspends = 0;
    for (let i = 0; i < steps; i++) {
      const [expected, actual] = await Promise.all([twin.call('step', [i]), subject.call('step', [i])]);
      assert.equal(actual, expected, `step ${i} after ${suspends} suspends`);
      if (random() < 0.6) {
        // Now and then the post-init image is replaced, so later snapshots are full, then deltas against the new base.
        if (random() < 0.05) await engine.snapshot(subject, store, 'base');
        await engine.suspend(subject, store);
        assert.equal(subject.phase, 'dropped');
        const restored = await engine.restore(module, store, options('subject'));
        assert.ok(restored !== undefined);
        subject = restored;
        suspends++;
      }
    }
    assert.ok(suspends >= 250, `suspended ${suspends} times`);
    assert.deepEqual(logs.subject, logs.twin);
    assert.equal(subject.residentBytes, twin.residentBytes);
    assert.ok(Buffer.from(subject.readBytes(0, subject.residentBytes)).equals(twin.readBytes(0, twin.residentBytes)), 'final memory differs');
    assert.deepEqual(globalsOf(subject), globalsOf(twin));
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

test('an AssemblyScript guest suspended and restored at hundreds of points matches its never-suspended twin', async () => {
  await runDifferential('differential-as', 0x1234_5678_9abc_def1n);
});

test('a C guest suspended and restored at hundreds of points matches its never-suspended twin', async () => {
  await runDifferential('differential-c', 0x0fed_cba9_8765_4321n);
});
