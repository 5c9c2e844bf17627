import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setGeneratedSection } from './generated-sections.ts';

test('a region is replaced and the hand-written text around it survives', () => {
  const text = '# Benchmarks\n\nintro\n\n<!-- BEGIN GENERATED: ring -->\nold\n<!-- END GENERATED: ring -->\n\n## Snapshots\n\nby hand\n';
  assert.equal(
    setGeneratedSection(text, 'ring', 'new table\n'),
    '# Benchmarks\n\nintro\n\n<!-- BEGIN GENERATED: ring -->\nnew table\n<!-- END GENERATED: ring -->\n\n## Snapshots\n\nby hand\n',
  );
});

test('a missing region is appended; regenerating it is stable', () => {
  const once = setGeneratedSection('# Benchmarks\n', 'ring', 'table');
  assert.equal(once, '# Benchmarks\n\n<!-- BEGIN GENERATED: ring -->\ntable\n<!-- END GENERATED: ring -->\n');
  assert.equal(setGeneratedSection(once, 'ring', 'table'), once);
});

test('broken markers are an error, never a guess', () => {
  assert.throws(() => setGeneratedSection('<!-- END GENERATED: ring -->\n<!-- BEGIN GENERATED: ring -->\n', 'ring', 'x'), /markers .* are broken/);
  assert.throws(() => setGeneratedSection('<!-- BEGIN GENERATED: ring -->\nno end\n', 'ring', 'x'), /broken/);
});
