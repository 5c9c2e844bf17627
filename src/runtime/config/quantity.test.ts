import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatBytes, parseByteSize, parseQuantity } from './quantity.ts';

test('binary, decimal, milli and exponent suffixes are read as Kubernetes reads them', () => {
  const cases: Array<[string, number]> = [
    ['64Mi', 64 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
    ['1.5Ki', 1_536],
    ['500m', 0.5],
    ['1e3', 1_000],
    ['2E', 2e18],
    ['.5', 0.5],
    ['+7', 7],
    ['-3k', -3_000],
    ['100', 100],
  ];
  for (const [text, value] of cases) assert.equal(parseQuantity(text), value, text);
});

test('what is not a quantity is refused, with a hint for byte units written the usual way', () => {
  assert.throws(() => parseQuantity('64MB'), { code: 'INVALID_VALUE', message: /invalid quantity "64MB": .*\(for bytes write e\.g\. "64Mi" or "64M", without "B"\)/ });
  for (const text of ['', 'Mi', '1 Mi', '1.2.3', '1mi', '0x10']) assert.throws(() => parseQuantity(text), { code: 'INVALID_VALUE' }, text);
});

test('a byte size must be whole and within its bounds', () => {
  assert.equal(parseByteSize('64Mi', 65_536), 67_108_864);
  assert.equal(parseByteSize(65_536, 65_536), 65_536);
  assert.throws(() => parseByteSize('1500m'), /must be a whole number of bytes/);
  assert.throws(() => parseByteSize('1Ki', 65_536), /invalid byte size "1Ki": must be at least 64Ki/);
  assert.throws(() => parseByteSize('5Gi', 0, 4 * 2 ** 30), /must be at most 4Gi/);
});

test('bytes are shown in the largest binary unit that divides them', () => {
  assert.deepEqual([65_536, 3 * 2 ** 30, 1_000, 0].map(formatBytes), ['64Ki', '3Gi', '1000', '0']);
});
