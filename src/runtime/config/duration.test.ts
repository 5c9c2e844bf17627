import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from './duration.ts';

test('Go durations are read in milliseconds, units combined', () => {
  const cases: Array<[string, number]> = [
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['250ms', 250],
    ['1.5h', 5_400_000],
    ['2h45m', 9_900_000],
    ['500us', 0.5],
    ['500µs', 0.5],
    ['1000000ns', 1],
    ['0', 0],
    ['-5s', -5_000],
    ['.5s', 500],
  ];
  for (const [text, ms] of cases) assert.equal(parseDuration(text), ms, text);
});

test('a duration without a unit, or with an unknown one, is refused and says why', () => {
  assert.throws(() => parseDuration('10'), { code: 'INVALID_VALUE', message: /invalid duration "10": .*\(a unit is required, e\.g\. "10s"\)/ });
  for (const text of ['', '10 s', '1d', 's', '1m30', '--1s']) assert.throws(() => parseDuration(text), { code: 'INVALID_VALUE' }, text);
});

test('durations are written back as Go writes them', () => {
  assert.deepEqual([90_000, 250, 0, 3_600_000, 5_400_500, -1_500].map(formatDuration), ['1m30s', '250ms', '0s', '1h0m0s', '1h30m0.5s', '-1.5s']);
  for (const ms of [90_000, 250, 3_600_000, 5_400_500]) assert.equal(parseDuration(formatDuration(ms)), ms);
});
