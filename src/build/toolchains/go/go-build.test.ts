import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { goBuild, moduleRoot } from './go-build.ts';
import { ensureGo, goMinor } from './go-install.ts';

test('Go versions are read as their minor number', () => {
  assert.equal(goMinor('go1.27.3'), 27);
  assert.equal(goMinor('go1.24'), 24);
  assert.equal(goMinor('devel +abc'), undefined);
});

test('a folder outside any Go module is refused, saying what to add', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wo-go-'));
  try {
    await assert.rejects(moduleRoot(dir), /is not inside a Go module: add a go\.mod/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a compile error comes back as a BuildError with Go\'s diagnostics', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wo-go-'));
  try {
    await mkdir(path.join(dir, 'op'));
    await writeFile(path.join(dir, 'go.mod'), 'module example.com/broken\n\ngo 1.24\n');
    await writeFile(path.join(dir, 'op', 'main.go'), 'package main\n\nfunc main() { undefinedThing() }\n');
    await assert.rejects(goBuild(await ensureGo(), { dir: path.join(dir, 'op'), optimize: true }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'BUILD_FAILED');
      assert.match(err.message, /Go build of .*op failed:\n.*main\.go:3:\d+: undefined: undefinedThing/s);
      return true;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
