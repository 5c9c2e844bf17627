/**
 * Reading WasmOperator documents from a multi-document YAML file (`run -f operators.yaml`).
 * Pure: it takes the file's text; the CLI reads the file.
 */
import { isMap, isNode, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { InvalidOperatorError } from '../errors.ts';
import { formatProblem, validate, type FieldPath, type FieldProblem } from './schema/index.ts';
import { wasmOperatorApiVersion, wasmOperatorKind, wasmOperatorSchema, type WasmOperator } from './wasm-operator-schema.ts';

/** Where a document sits in its file: its 1-based index among the file's documents, and its first line. */
export interface DocumentPosition {
  document: number;
  line: number;
}

/** A file's contents: its WasmOperators (namespace defaulted) and, if allowed, its other objects untouched. */
export interface LoadedOperators {
  operators: Array<DocumentPosition & { operator: WasmOperator }>;
  others: Array<DocumentPosition & { object: Record<string, unknown> }>;
}

export interface LoadOptions {
  /** Keep documents of other kinds (e.g. the CRDs a dev setup needs) instead of refusing them. */
  allowOtherKinds?: boolean;
  /** The namespace of operators that name none (default `default`, as kubectl's). */
  defaultNamespace?: string;
}

/**
 * Parses and validates every document of `text`. Empty documents are skipped. Throws one
 * InvalidOperatorError listing every problem of every document as
 * `<file>:<line>: document <n> (WasmOperator "<ns>/<name>"): <field>: <problem>`.
 */
export function parseOperatorsYaml(text: string, file: string, options: LoadOptions = {}): LoadedOperators {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const loaded: LoadedOperators = { operators: [], others: [] };
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);

  for (const [i, doc] of (Array.isArray(documents) ? documents : []).entries()) {
    const position = { document: i + 1, line: lineOf(doc.contents?.range[0] ?? doc.range[0]) };
    const report = (line: number, what: string, problem: string) => problems.push(`${file}:${line}: document ${position.document}${what}: ${problem}`);
    if (doc.errors.length > 0) {
      for (const err of doc.errors) report(err.linePos?.[0].line ?? position.line, '', `YAML syntax: ${err.message.split('\n')[0]}`);
      continue;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      report(position.line, '', `must be an object with apiVersion and kind, got ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
      continue;
    }
    const object = value as Record<string, unknown>;
    if (object.apiVersion !== wasmOperatorApiVersion || object.kind !== wasmOperatorKind) {
      if (options.allowOtherKinds === true && typeof object.apiVersion === 'string' && typeof object.kind === 'string') {
        loaded.others.push({ ...position, object });
      } else {
        const was = `${String(object.kind ?? 'an object without kind')} (${String(object.apiVersion ?? 'no apiVersion')})`;
        report(position.line, '', `is a ${was}, not a ${wasmOperatorKind} (${wasmOperatorApiVersion})`);
      }
      continue;
    }
    const fieldProblems: FieldProblem[] = [];
    const operator = validate(wasmOperatorSchema, object, [], fieldProblems);
    const meta = object.metadata as { name?: unknown; namespace?: unknown } | undefined;
    const namespace = typeof meta?.namespace === 'string' ? meta.namespace : (options.defaultNamespace ?? 'default');
    const what = typeof meta?.name === 'string' ? ` (${wasmOperatorKind} "${namespace}/${meta.name}")` : '';
    for (const problem of fieldProblems) report(lineOf(offsetOf(doc, problem.path)), what, formatProblem(problem));
    if (operator === undefined) continue;
    const key = `${namespace}/${operator.metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      report(lineOf(offsetOf(doc, ['metadata', 'name'])), what, `metadata.name: Duplicate value: "${operator.metadata.name}": already defined by document ${first}`);
      continue;
    }
    seen.set(key, position.document);
    loaded.operators.push({ ...position, operator: { ...operator, metadata: { ...operator.metadata, namespace } } });
  }
  if (problems.length > 0) throw new InvalidOperatorError(file, problems, { file });
  return loaded;
}

/**
 * Where the field at `path` is written: the offset of its key (of its item, in a list), or of
 * its deepest existing ancestor's key, so that a missing field is reported where its parent is.
 */
function offsetOf(doc: Document, path: FieldPath): number | undefined {
  let node: unknown = doc.contents;
  let offset = isNode(node) ? node.range?.[0] : undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === part);
      if (pair === undefined) break;
      offset = (isNode(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && part < node.items.length) {
      node = node.items[part];
      offset = (isNode(node) ? node.range?.[0] : undefined) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
