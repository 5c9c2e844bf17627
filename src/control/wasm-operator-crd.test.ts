import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse, stringify } from 'yaml';
import { wasmOperatorCrd } from './wasm-operator-crd.ts';

type Node = Record<string, unknown>;
const version = () => (wasmOperatorCrd().spec.versions as Node[])[0]!;
const root = () => (version().schema as { openAPIV3Schema: Node }).openAPIV3Schema;

/** Every schema node under `node`, with its path. */
function* nodes(node: Node, path = ''): Generator<[string, Node]> {
  yield [path, node];
  for (const [name, child] of Object.entries((node.properties ?? {}) as Record<string, Node>)) yield* nodes(child, `${path}.${name}`);
  if (node.items !== undefined) yield* nodes(node.items as Node, `${path}[]`);
  if (typeof node.additionalProperties === 'object') yield* nodes(node.additionalProperties as Node, `${path}.<key>`);
}

test('the CRD names the group, kind, plural and short name kubectl users type', () => {
  const crd = wasmOperatorCrd();
  assert.equal(crd.metadata.name, 'wasmoperators.wasm-operator.dev');
  assert.deepEqual(crd.spec.names, {
    plural: 'wasmoperators',
    singular: 'wasmoperator',
    kind: 'WasmOperator',
    listKind: 'WasmOperatorList',
    shortNames: ['wop'],
    categories: ['wasm-operator'],
  });
  assert.equal(crd.spec.scope, 'Namespaced');
  assert.deepEqual(version().subresources, { status: {} });
});

test('the schema is structural: every node has a type, except ints-or-strings, which use the allowed anyOf', () => {
  for (const [path, node] of nodes(root())) {
    if (node['x-kubernetes-int-or-string'] === true) {
      assert.deepEqual(node.anyOf, [{ type: 'integer' }, { type: 'string' }], path);
      assert.equal(node.type, undefined, path);
      continue;
    }
    assert.ok(typeof node.type === 'string', `${path} has no type`);
    assert.ok(!(node.properties !== undefined && node.additionalProperties !== undefined), `${path} has properties and additionalProperties`);
    if (node['x-kubernetes-preserve-unknown-fields'] === true) assert.equal(node.type, 'object', path);
    for (const branch of (node.oneOf ?? []) as Node[]) assert.deepEqual(Object.keys(branch), ['required'], `${path} oneOf may only constrain values`);
  }
});

test('every spec and status field is described, for kubectl explain', () => {
  for (const [path, node] of nodes(root())) {
    if (path === '.metadata' || path === '') continue;
    assert.ok(typeof node.description === 'string' && node.description !== '', `${path} has no description`);
  }
});

test('printer columns point at fields the schema defines', () => {
  const properties = new Set([...nodes(root())].map(([path]) => path));
  for (const column of version().additionalPrinterColumns as Array<{ jsonPath: string }>) {
    if (column.jsonPath === '.metadata.creationTimestamp') continue;
    // A filter (`[?(@.type=="Ready")]`) selects list items: the path goes on in the items' schema.
    const path = column.jsonPath.replace(/\[\?\(@\.\w+=="\w+"\)\]/g, '[]');
    assert.ok(properties.has(path), `${column.jsonPath} is not in the schema`);
  }
});

test('the CRD survives a YAML round trip unchanged, so it can be written out and applied', () => {
  assert.deepEqual(parse(stringify(wasmOperatorCrd())), JSON.parse(JSON.stringify(wasmOperatorCrd())));
});
