import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { cloneJson, getMember, jsonEqual, setMember } from '../json-members.ts';
import { badRequest, PatchError, rejected } from './patch-error.ts';

/** kube-apiserver refuses JSON patches with more operations than this (413). */
export const maxJsonPatchOperations = 10_000;

type Operation = JsonObject;
type Container = JsonObject | JsonValue[];

/**
 * Applies a JSON patch (RFC 6902, `application/json-patch+json`) the way kube-apiserver does
 * (it uses evanphx/json-patch v4), returning a new value; `target` is not modified.
 *
 * `operations` is the parsed request body. Operations run in order and all-or-nothing.
 * Paths are JSON pointers (RFC 6901: `~1` is `/`, `~0` is `~`); `-` appends to an array.
 * Where kube-apiserver's library departs from the RFC, this follows kube-apiserver:
 * - a negative array index counts from the end (`/items/-1` is the last item);
 * - `replace` of a missing object member adds it, and an operation without `value` uses null;
 * - `test` of a missing member succeeds when the expected value is null;
 * - `copy` from a missing object member copies null.
 *
 * @throws PatchError 400 BadRequest when `operations` is not a list of objects; 413 when it
 *   has more than {@link maxJsonPatchOperations}; 422 Invalid, worded "the server rejected our
 *   request due to an error in our request" as kube-apiserver words it, when an operation does
 *   not apply (its `detail` says which and why).
 */
export function applyJsonPatch(target: JsonValue, operations: unknown): JsonValue {
  const decoded = decodeOperations(operations);
  let document = cloneJson(target);
  for (const operation of decoded) document = applyOperation(document, operation);
  return document;
}

function decodeOperations(operations: unknown): Operation[] {
  if (operations === null) return []; // Go decodes a null list as an empty one
  if (!Array.isArray(operations)) throw badRequest(`json: cannot unmarshal ${goTypeName(operations)} into Go value of type jsonpatch.Patch`);
  for (const operation of operations) {
    if (operation !== null && !isJsonObject(operation)) {
      throw badRequest(`json: cannot unmarshal ${goTypeName(operation)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (operations.length > maxJsonPatchOperations) {
    throw new PatchError(413, 'RequestEntityTooLarge',
      `Request entity too large: The allowed maximum operations in a JSON patch is ${maxJsonPatchOperations}, got ${operations.length}`);
  }
  return operations.map((operation: JsonObject | null) => operation ?? {});
}

function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // object, string, number
}

function applyOperation(document: JsonValue, operation: Operation): JsonValue {
  const op = typeof operation.op === 'string' ? operation.op : 'unknown';
  switch (op) {
    case 'add': {
      const path = stringField(operation, 'path', op);
      const [container, key] = resolve(document, path, `add operation does not apply: doc is missing path: "${path}"`);
      insert(container, key, valueOf(operation), path, 'add');
      return document;
    }
    case 'remove': {
      const path = stringField(operation, 'path', op);
      const [container, key] = resolve(document, path, `remove operation does not apply: doc is missing path: "${path}"`);
      removeMember(container, key, path, 'remove');
      return document;
    }
    case 'replace':
      return replace(document, operation);
    case 'move': {
      const from = stringField(operation, 'from', op);
      const [source, sourceKey] = resolve(document, from, `move operation does not apply: doc is missing from path: ${from}`);
      const value = getChild(source, sourceKey, sourceKey, 'move');
      removeMember(source, sourceKey, sourceKey, 'move');
      const path = stringField(operation, 'path', op);
      const [destination, key] = resolve(document, path, `move operation does not apply: doc is missing destination path: ${path}`);
      insert(destination, key, value ?? null, path, 'move');
      return document;
    }
    case 'copy': {
      const from = stringField(operation, 'from', op);
      const [source, sourceKey] = resolve(document, from, `copy operation does not apply: doc is missing from path: ${from}`);
      const value = getChild(source, sourceKey, from, 'copy');
      const path = stringField(operation, 'path', op);
      const [destination, key] = resolve(document, path, `copy operation does not apply: doc is missing destination path: ${path}`);
      insert(destination, key, value === undefined ? null : cloneJson(value), path, 'copy');
      return document;
    }
    case 'test':
      test(document, operation);
      return document;
    default:
      throw rejected(`Unexpected kind: ${op}`);
  }
}

function replace(document: JsonValue, operation: Operation): JsonValue {
  const path = stringField(operation, 'path', 'replace');
  const value = valueOf(operation);
  if (path === '') {
    if (value === null || typeof value !== 'object') throw rejected('replace operation value must be object or array');
    return value;
  }
  const [container, key] = resolve(document, path, `replace operation does not apply: doc is missing path: ${path}`);
  if (Array.isArray(container)) {
    const index = existingIndex(container, key, path, 'replace');
    container[index] = value;
  } else {
    setMember(container, key, value);
  }
  return document;
}

function test(document: JsonValue, operation: Operation): void {
  const path = stringField(operation, 'path', 'test');
  const expected = getMember(operation, 'value');
  const failed = rejected(`testing value ${path} failed: test failed`);
  if (path === '') {
    if (!jsonEqual(document, expected ?? null)) throw failed;
    return;
  }
  const [container, key] = resolve(document, path, `test operation does not apply: is missing path: ${path}`);
  const actual = getChild(container, key, path, 'test') ?? null;
  if (actual === null ? expected !== undefined && expected !== null : expected === undefined || !jsonEqual(actual, expected)) throw failed;
}

/** The operation's `value`; a missing one is null, as the library kube-apiserver uses treats it. */
function valueOf(operation: Operation): JsonValue {
  const value = getMember(operation, 'value');
  return value === undefined ? null : cloneJson(value);
}

function stringField(operation: Operation, field: 'path' | 'from', op: string): string {
  const value = getMember(operation, field);
  if (value === undefined || value === null) throw rejected(`${op} operation failed to decode ${field}: missing value`);
  if (typeof value !== 'string') throw rejected(`${op} operation failed to decode ${field}: json: cannot unmarshal ${goTypeName(value)} into Go value of type string`);
  return value;
}

/**
 * The container the pointer's last token addresses, and that token decoded. Like kube-apiserver's
 * library, a pointer with no `/` addresses nothing, and what comes before the first `/` is ignored.
 */
function resolve(document: JsonValue, pointer: string, missing: string): [Container, string] {
  const tokens = pointer.split('/').map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (tokens.length < 2) throw rejected(`${missing}: missing value`);
  let current: JsonValue = document;
  for (const token of tokens.slice(1, -1)) {
    if (current === null || typeof current !== 'object') throw rejected(`${missing}: missing value`);
    let next: JsonValue | undefined;
    try {
      next = getChild(current, token, pointer, 'get');
    } catch {
      next = undefined;
    }
    if (next === undefined) throw rejected(`${missing}: missing value`);
    current = next;
  }
  if (current === null || typeof current !== 'object') throw rejected(`${missing}: missing value`);
  return [current, tokens.at(-1)!];
}

/** A member of an object (undefined if absent) or an element of an array (throws if absent). */
function getChild(container: Container, key: string, path: string, op: string): JsonValue | undefined {
  if (!Array.isArray(container)) return getMember(container, key);
  return container[existingIndex(container, key, path, op)];
}

function insert(container: Container, key: string, value: JsonValue, path: string, op: string): void {
  if (!Array.isArray(container)) {
    setMember(container, key, value);
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  const index = parseIndex(key);
  if (index === undefined) throw rejected(`error in ${op} for path: '${path}': value was not a proper array index: '${key}'`);
  const size = container.length + 1;
  if (index >= size || index < -size) throw rejected(`error in ${op} for path: '${path}': Unable to access invalid index: ${index}: invalid index referenced`);
  container.splice(index < 0 ? index + size : index, 0, value);
}

function removeMember(container: Container, key: string, path: string, op: string): void {
  if (Array.isArray(container)) {
    container.splice(existingIndex(container, key, path, op), 1);
  } else if (Object.hasOwn(container, key)) {
    delete container[key];
  } else {
    throw rejected(`error in ${op} for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
  }
}

/** The index of an existing element; negative indices count from the end. */
function existingIndex(array: JsonValue[], key: string, path: string, op: string): number {
  const index = parseIndex(key);
  if (index === undefined) throw rejected(`error in ${op} for path: '${path}': strconv.Atoi: parsing "${key}": invalid syntax`);
  if (index >= array.length || index < -array.length) {
    throw rejected(`error in ${op} for path: '${path}': Unable to access invalid index: ${index}: invalid index referenced`);
  }
  return index < 0 ? index + array.length : index;
}

/** Go's strconv.Atoi: an optional sign, then decimal digits. */
function parseIndex(key: string): number | undefined {
  return /^[+-]?\d{1,15}$/.test(key) ? Number(key) : undefined;
}
