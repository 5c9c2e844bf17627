/**
 * What docs/abi.md requires of a module's imports and exports, checked without running it.
 * `wasm-operator build` runs it on what a toolchain produced, so a missing export is reported
 * at build time, not when the host first loads the module.
 */

const REQUIRED_EXPORTS: ReadonlyArray<[string, 'function' | 'memory']> = [
  ['memory', 'memory'],
  ['wo_abi_version', 'function'],
  ['wo_alloc', 'function'],
  ['wo_init', 'function'],
  ['wo_reconcile', 'function'],
];

const IMPORT_MODULES = new Set(['wasm_operator', 'wasi_snapshot_preview1']);

/** Every way `module` breaks the ABI's shape, one sentence each; empty when it fits. */
export function abiShapeProblems(module: WebAssembly.Module): string[] {
  const problems: string[] = [];
  const exports = new Map(WebAssembly.Module.exports(module).map((e) => [e.name, e.kind]));
  for (const [name, kind] of REQUIRED_EXPORTS) {
    const found = exports.get(name);
    if (found === undefined) problems.push(`missing export "${name}" (${kind})`);
    else if (found !== kind) problems.push(`export "${name}" is a ${found}, not a ${kind}`);
  }
  if (exports.has('_start')) problems.push('exports "_start": a WASI command module; build a reactor (-mexec-model=reactor)');
  for (const imp of WebAssembly.Module.imports(module)) {
    if (!IMPORT_MODULES.has(imp.module)) {
      problems.push(`imports "${imp.module}"."${imp.name}": only "wasm_operator" and "wasi_snapshot_preview1" are provided`);
    }
  }
  return problems;
}
