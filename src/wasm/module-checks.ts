/**
 * What the engine requires of a module before rewriting it, each failure a ModuleError that
 * names the module and the offending import or export: a reactor (not a WASI command), one
 * memory of its own, only function imports, all of them provided by the host or the WASI
 * shim with matching types, and the exports the caller requires.
 */
import type { FuncType, ParsedModule, ValueType } from './binary/module-parser.ts';
import { ModuleError } from './errors.ts';
import { engineImportModule, reservedExportPrefix } from './rewrite/rewrite-module.ts';
import { wasiFunctionType, wasiModule } from './wasi/wasi-signatures.ts';

/** A function signature; omitted parts are not checked. */
export interface FunctionSignature {
  params?: readonly ValueType[];
  results?: readonly ValueType[];
}

/** An import the host provides, as the loader sees it (no function needed yet). */
export interface ImportSpec extends FunctionSignature {
  module: string;
  name: string;
}

/** An export the caller will call. */
export interface ExportSpec extends FunctionSignature {
  name: string;
}

export function describe(type: FunctionSignature): string {
  return `(${(type.params ?? []).join(', ')}) -> (${(type.results ?? []).join(', ')})`;
}

function matches(actual: FuncType, expected: FunctionSignature): boolean {
  const same = (a: readonly ValueType[], b: readonly ValueType[] | undefined) => b === undefined || (a.length === b.length && a.every((t, i) => t === b[i]));
  return same(actual.params, expected.params) && same(actual.results, expected.results);
}

export function checkModuleShape(parsed: ParsedModule, source: string): void {
  if (parsed.exports.some((e) => e.name === '_start')) {
    throw new ModuleError('MODULE_NOT_REACTOR', source, 'is a WASI command (it exports _start), but operators must be reactors: build it with -mexec-model=reactor (C) or --exportStart _initialize (AssemblyScript)');
  }
  const reserved = parsed.exports.find((e) => e.name.startsWith(reservedExportPrefix));
  if (reserved !== undefined) throw new ModuleError('MODULE_UNSUPPORTED', source, `exports ${reserved.name}, a name reserved for the engine (${reservedExportPrefix}*)`);
  for (const imported of parsed.imports) {
    if (imported.kind !== 'func') {
      throw new ModuleError('MODULE_IMPORT_MISSING', source,
        `imports ${imported.kind} ${imported.module}.${imported.name}, but the host provides only functions (a module must define its own memory, tables and globals)`,
        { import: `${imported.module}.${imported.name}` });
    }
  }
  const memory = parsed.memories[0];
  if (memory === undefined) throw new ModuleError('MODULE_UNSUPPORTED', source, 'defines no memory; operators exchange data through their memory');
  if (parsed.memories.length > 1) throw new ModuleError('MODULE_UNSUPPORTED', source, `defines ${parsed.memories.length} memories; only one is supported`);
  if (memory.memory64) throw new ModuleError('MODULE_UNSUPPORTED', source, 'uses a 64-bit memory; only 32-bit memories are supported');
  if (memory.shared) throw new ModuleError('MODULE_UNSUPPORTED', source, 'uses a shared memory (threads), which a snapshot cannot capture');
}

/** Every function import must be provided, by the host or the WASI shim, with the declared type. */
export function checkImports(parsed: ParsedModule, source: string, provided: readonly ImportSpec[]): void {
  for (const imported of parsed.imports) {
    const name = `${imported.module}.${imported.name}`;
    const actual = parsed.types[imported.typeIndex];
    const expected = imported.module === wasiModule
      ? wasiFunctionType(imported.name)
      : imported.module === engineImportModule ? undefined : provided.find((p) => p.module === imported.module && p.name === imported.name);
    if (expected === undefined) {
      throw new ModuleError('MODULE_IMPORT_MISSING', source, `imports ${name}, which the host does not provide`, { import: name });
    }
    if (actual !== undefined && !matches(actual, expected)) {
      throw new ModuleError('MODULE_IMPORT_TYPE', source, `imports ${name} as ${describe(actual)}, but the host provides ${describe(expected)}`, { import: name });
    }
  }
}

/** The type of the function the module exports as `name`, or undefined when it exports no such function. */
export function exportType(parsed: ParsedModule, name: string): FuncType | undefined {
  const found = parsed.exports.find((e) => e.name === name && e.kind === 'func');
  if (found === undefined) return undefined;
  const definedBase = parsed.importCounts.func;
  const typeIndex = found.index < definedBase ? parsed.imports.filter((i) => i.kind === 'func')[found.index]?.typeIndex : parsed.functionTypes[found.index - definedBase];
  return typeIndex === undefined ? undefined : parsed.types[typeIndex];
}

export function checkExports(parsed: ParsedModule, source: string, required: readonly ExportSpec[]): void {
  for (const spec of required) {
    const actual = exportType(parsed, spec.name);
    if (actual === undefined) {
      throw new ModuleError('MODULE_EXPORT_MISSING', source, `does not export the function ${spec.name}`, { export: spec.name });
    }
    if (!matches(actual, spec)) {
      throw new ModuleError('MODULE_EXPORT_TYPE', source, `exports ${spec.name} as ${describe(actual)}, but ${describe(spec)} is required`, { export: spec.name });
    }
  }
}
