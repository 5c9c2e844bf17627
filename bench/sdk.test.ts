import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sdks, selectSdks } from './sdk.ts';

test('bench sdk measures every SDK unless --sdks names some, and refuses a name it does not know', () => {
  assert.deepEqual(selectSdks(undefined).map((s) => s.prefix), ['as', 'js', 'c', 'go']);
  assert.equal(selectSdks(undefined), sdks);
  assert.deepEqual(selectSdks('go, c').map((s) => s.prefix), ['c', 'go']);
  assert.throws(() => selectSdks('as,rust'), /--sdks: unknown SDK rust \(known: as, js, c, go\)/);
});
