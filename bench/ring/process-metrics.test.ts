import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseCpuSeconds, parsePssBytes, processTree, readCpuSeconds, readPssBytes, readRssBytes } from './process-metrics.ts';

test('PSS is read from the Pss line of smaps_rollup, in bytes', () => {
  const rollup = '00400000-7ffe47aff000 ---p 00000000 00:00 0 [rollup]\nRss:   44200 kB\nPss:   41050 kB\nPss_Dirty:  8612 kB\n';
  assert.equal(parsePssBytes(rollup), 41050 * 1024);
  assert.throws(() => parsePssBytes('Rss: 1 kB\n'), /no Pss line/);
});

test('CPU time adds user, system and waited-for children, even when the command name holds spaces and parentheses', () => {
  const stat = '4242 (node (ring) 3) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 7 3 20 0 11 0 123 456 789';
  assert.equal(parseCpuSeconds(stat), (250 + 50 + 7 + 3) / 100);
});

test('this process has a PSS, an RSS and a CPU time; an exited one has none', async () => {
  assert.ok((await readPssBytes(process.pid))! > 1_000_000);
  assert.ok(readRssBytes(process.pid)! > 1_000_000);
  assert.ok(readCpuSeconds(process.pid)! > 0);
  const child = spawn('true');
  await once(child, 'exit');
  assert.equal(await readPssBytes(child.pid!), undefined);
  assert.equal(readCpuSeconds(child.pid!), undefined);
});

test('the process tree holds the roots and their descendants, grandchildren included', async (t) => {
  const child = spawn('sh', ['-c', 'sleep 30 & sleep 30 & wait'], { stdio: 'ignore' });
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  });
  let tree: number[] = [];
  for (let i = 0; i < 100 && tree.length < 3; i++) {
    await sleep(20);
    tree = await processTree([child.pid!]);
  }
  assert.equal(tree.length, 3);
  assert.ok(tree.includes(child.pid!));
  for (const pid of tree.filter((p) => p !== child.pid)) process.kill(pid, 'SIGKILL');
});
