import assert from 'node:assert/strict';
import { test } from 'node:test';
import { humanDuration } from './human-duration.ts';

test('ages print as kubectl prints them', () => {
  const s = 1000;
  const cases: [number, string][] = [
    [5 * s, '5s'], [119 * s, '119s'], [200 * s, '3m20s'], [600 * s, '10m'], [3 * 3600 * s + 5 * 60 * s, '3h5m'],
    [30 * 3600 * s, '30h'], [3 * 86400 * s + 4 * 3600 * s, '3d4h'], [40 * 86400 * s, '40d'], [800 * 86400 * s, '2y70d'], [-5 * s, '<invalid>'],
  ];
  for (const [ms, text] of cases) assert.equal(humanDuration(ms), text, `${ms} ms`);
});
