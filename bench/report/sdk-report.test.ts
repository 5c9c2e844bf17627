import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleReport } from './sample-report.ts';
import { sdkSection } from './sdk-report.ts';

const sdkRun = (commit: string, metrics: Record<string, number>) => sampleReport('sdk', commit, metrics, [11.5, 10.25, 9]);

test('the SDK table shows the newest run, one column per SDK, with the targets beside the figures', () => {
  const older = sdkRun('0000000000aaaa', { as_wasm_bytes: 1 });
  const newer = sdkRun('1111111111bbbb', { as_wasm_bytes: 24_205, as_resident_bytes: 131_072, js_resident_bytes: 589_824, js_cold_wake_ms: 3.25, c_warm_reconcile_us: 54.6, go_snapshot_bytes: 3 * 2 ** 20 });
  const table = sdkSection([older, newer]);
  assert.match(table, /^\| measure \| AssemblyScript \| JS\/TypeScript \| C \| Go \|$/m);
  assert.match(table, /\| \.wasm size \(`<sdk>_wasm_bytes`\) \| 24\.2 KB \(target < 100 KB\) \| not measured \| not measured \| not measured \|/);
  assert.match(table, /\| resident \(linear memory, warm\) \(`<sdk>_resident_bytes`\) \| 128\.0 KiB \(target < 512 KiB\) \| 576\.0 KiB \(target < 3 MiB\) \|/);
  assert.match(table, /\| 3\.25 ms \(target < 10 ms\) \|/);
  assert.match(table, /\| 54\.6 µs \|/);
  assert.match(table, /\| 3\.00 MiB \|$/m);
  assert.match(table, /commit `1111111111` on 2 × Test CPU, Node v26\.10\.0; load average 11\.5, 10\.3, 9\.0 at the end\./);
});

test('without an sdk result the section says how to make one', () => {
  assert.match(sdkSection([]), /No results yet: run `npx wasm-operator bench sdk --json > bench\/results\/sdk\.json`/);
});
