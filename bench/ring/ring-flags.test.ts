import assert from 'node:assert/strict';
import { test } from 'node:test';
import { variantNames } from './ring-flags.ts';
import { ringVariants } from './variants/index.ts';

test('the variant names the flags list are exactly the registered variants', () => {
  assert.deepEqual([...variantNames], [...ringVariants.keys()]);
});
