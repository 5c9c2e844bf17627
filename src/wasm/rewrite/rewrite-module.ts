/**
 * The load-time rewriter: our own small binary rewriter, because it is the core of exact
 * snapshots and deadlines, and because it only needs to touch a few things:
 *
 * - every mutable global gets an exported getter and setter (snapshots read and restore
 *   globals the guest never exported, such as `__stack_pointer`);
 * - the memory maximum is capped at the operator's memory limit;
 * - fuel checks at loop headers and function entries, and a guard around `memory.grow`,
 *   call two imports from `wasm-operator:engine` (deadline and memory-limit enforcement);
 * - the start function is exported instead of run at instantiation, so a restore never
 *   re-runs initialization code;
 * - exported tables are hidden (only the guest could then change a table, and it cannot:
 *   modules that use table-mutating instructions are refused).
 *
 * Everything else is copied byte for byte. Debug sections whose offsets would no longer
 * match the code (DWARF, source maps, the guest's own branch hints) are dropped; the `name`
 * section is kept and renumbered, so traps still show function names. A branch-hint section
 * of our own marks the injected checks' calls as unlikely (see code-rewriter.ts).
 */
import { ByteReader } from '../binary/byte-reader.ts';
import { ByteWriter } from '../binary/byte-writer.ts';
import { readConstExpr, readValueType, sectionId } from '../binary/module-parser.ts';
import type { ParsedModule, RawSection } from '../binary/module-parser.ts';
import { branchHintSection, globalAccessorBodies, growGuardBody, rewriteCodeSection, tickBody, tickBranchHints } from './code-rewriter.ts';
import { remapConstExpr, remapElementSection, remapNameSection } from './index-remap.ts';
import { RewriteRejection } from './rewrite-rejection.ts';

/** The import module of the functions the rewriter's injected code calls. */
export const engineImportModule = 'wasm-operator:engine';
export const engineImportNames = { refuel: 'refuel', growFailed: 'grow_failed' } as const;
/** Exports the rewriter adds all start with this; a guest may not use it. */
export const reservedExportPrefix = '__wasm_operator_';
export const memoryExportName = `${reservedExportPrefix}memory`;
export const startExportName = `${reservedExportPrefix}start`;

/** A mutable global that is part of an instance's state, and the exports that read and write it. */
export interface StateGlobal {
  index: number;
  type: 'i32' | 'i64' | 'f32' | 'f64';
  getter: string;
  setter: string;
}

export interface RewrittenModule {
  bytes: Uint8Array;
  /** In global index order; a snapshot stores their values in this order. */
  stateGlobals: StateGlobal[];
  /** Set when the module had a start function: call it once on a cold start, never on restore. */
  startExport: string | undefined;
}

const sectionOrder = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const droppedCustomSection = /^(\.debug_|sourceMappingURL$|external_debug_info$|metadata\.code\.)/;

/** Appends entries to a vector-shaped section (count, then entries). */
function appendToVector(content: Uint8Array | undefined, count: number, entries: Uint8Array): Uint8Array {
  const r = new ByteReader(content ?? new Uint8Array([0]));
  const existing = r.u32();
  return new ByteWriter().u32(existing + count).bytes(r.bytes.subarray(r.pos)).bytes(entries).finish().slice();
}

export function rewriteModule(parsed: ParsedModule, options: { maxMemoryPages: number }): RewrittenModule {
  const memory = parsed.memories[0];
  if (parsed.memories.length !== 1 || memory === undefined) throw new RewriteRejection('MODULE_UNSUPPORTED', 'the module must define exactly one memory');
  if (memory.min > options.maxMemoryPages) {
    throw new RewriteRejection('MODULE_MEMORY_TOO_LARGE',
      `its memory starts at ${memory.min} pages (${memory.min * 64} KiB), above the limit of ${options.maxMemoryPages} pages`);
  }
  const importedFunctions = parsed.importCounts.func;
  const remap = (index: number) => (index < importedFunctions ? index : index + 2);
  const definedFunctions = parsed.functionTypes.length;
  const firstNewFunction = importedFunctions + 2 + definedFunctions;
  const baseType = parsed.types.length;
  const types = { voidToI32: baseType, i32ToVoid: baseType + 1, i32ToI32: baseType + 2, voidToI64: baseType + 3, i64ToVoid: baseType + 4 };
  const fuelGlobal = parsed.importCounts.global + parsed.globals.length;

  const stateGlobals: StateGlobal[] = [];
  const accessorBodies: Uint8Array[] = [];
  const newFunctionTypes = new ByteWriter().u32(types.i32ToI32).u32(types.voidToI32);
  const newExports = new ByteWriter();
  let newExportCount = 1;
  newExports.name(memoryExportName).u8(2).u32(0);
  parsed.globals.forEach((global, i) => {
    if (!global.mutable) return;
    const index = parsed.importCounts.global + i;
    if (global.type !== 'i32' && global.type !== 'i64' && global.type !== 'f32' && global.type !== 'f64') {
      throw new RewriteRejection('MODULE_UNSUPPORTED', `mutable global ${index} holds a ${global.type}, which a snapshot cannot capture`);
    }
    const wide = global.type === 'i64' || global.type === 'f64';
    const state: StateGlobal = { index, type: global.type, getter: `${reservedExportPrefix}global_get_${index}`, setter: `${reservedExportPrefix}global_set_${index}` };
    const bodies = globalAccessorBodies(index, global.type);
    const getIndex = firstNewFunction + 2 + accessorBodies.length; // after the grow guard and tick
    accessorBodies.push(bodies.get, bodies.set);
    newFunctionTypes.u32(wide ? types.voidToI64 : types.voidToI32).u32(wide ? types.i64ToVoid : types.i32ToVoid);
    newExports.name(state.getter).u8(0).u32(getIndex).name(state.setter).u8(0).u32(getIndex + 1);
    newExportCount += 2;
    stateGlobals.push(state);
  });
  let startExport: string | undefined;
  if (parsed.start !== undefined) {
    startExport = startExportName;
    newExports.name(startExportName).u8(0).u32(remap(parsed.start));
    newExportCount++;
  }

  const replaced = new Map<number, Uint8Array | undefined>();
  const content = (id: number) => parsed.sections.find((s) => s.id === id)?.content;
  replaced.set(sectionId.type, appendToVector(content(sectionId.type), 5, new ByteWriter()
    .u8(0x60).u32(0).u32(1).u8(0x7f)
    .u8(0x60).u32(1).u8(0x7f).u32(0)
    .u8(0x60).u32(1).u8(0x7f).u32(1).u8(0x7f)
    .u8(0x60).u32(0).u32(1).u8(0x7e)
    .u8(0x60).u32(1).u8(0x7e).u32(0)
    .finish()));
  replaced.set(sectionId.import, appendToVector(content(sectionId.import), 2, new ByteWriter()
    .name(engineImportModule).name(engineImportNames.refuel).u8(0).u32(types.voidToI32)
    .name(engineImportModule).name(engineImportNames.growFailed).u8(0).u32(types.i32ToVoid)
    .finish()));
  replaced.set(sectionId.function, appendToVector(content(sectionId.function), 2 + accessorBodies.length, newFunctionTypes.finish()));
  const cap = memory.max === undefined ? options.maxMemoryPages : Math.min(memory.max, options.maxMemoryPages);
  replaced.set(sectionId.memory, new ByteWriter().u32(1).u8(1).u32(memory.min).u32(cap).finish().slice());
  replaced.set(sectionId.global, rewriteGlobals(content(sectionId.global), remap));
  replaced.set(sectionId.export, rewriteExports(parsed, remap, newExportCount, newExports.finish()));
  replaced.set(sectionId.start, undefined);
  const elements = content(sectionId.element);
  if (elements !== undefined) replaced.set(sectionId.element, remapElementSection(elements, remap));
  const injected = { fuelGlobal, refuelFunction: importedFunctions, growGuardFunction: firstNewFunction, tickFunction: firstNewFunction + 1, importedFunctions, remap };
  const paramCounts = parsed.functionTypes.map((t) => parsed.types[t]?.params.length ?? 0);
  const code = rewriteCodeSection(content(sectionId.code) ?? new Uint8Array([0]), importedFunctions, paramCounts, injected,
    [growGuardBody(importedFunctions + 1), tickBody(injected), ...accessorBodies]);
  replaced.set(sectionId.code, code.content);
  const hints = branchHintSection([...code.unlikely, { functionIndex: injected.tickFunction, offsets: tickBranchHints(injected) }]);

  return { bytes: assemble(parsed.sections, replaced, remap, hints), stateGlobals, startExport };
}

function rewriteGlobals(content: Uint8Array | undefined, remap: (index: number) => number): Uint8Array {
  const r = new ByteReader(content ?? new Uint8Array([0]));
  const count = r.u32();
  const out = new ByteWriter().u32(count + 1);
  for (let i = 0; i < count; i++) {
    const typeStart = r.pos;
    readValueType(r);
    r.u8();
    out.bytes(r.bytes.subarray(typeStart, r.pos));
    remapConstExpr(readConstExpr(r), remap, out);
  }
  // The fuel counter starts at 0, so the first check asks the host for an allowance.
  return out.u8(0x7f).u8(1).u8(0x41).signed(0).u8(0x0b).finish().slice();
}

function rewriteExports(parsed: ParsedModule, remap: (index: number) => number, extraCount: number, extra: Uint8Array): Uint8Array {
  const kept = parsed.exports.filter((e) => e.kind !== 'table');
  const out = new ByteWriter().u32(kept.length + extraCount);
  const kindCodes = { func: 0, table: 1, memory: 2, global: 3, tag: 4 } as const;
  for (const e of kept) out.name(e.name).u8(kindCodes[e.kind]).u32(e.kind === 'func' ? remap(e.index) : e.index);
  return out.bytes(extra).finish().slice();
}

/**
 * Emits sections in the binary format's order, custom sections where they were, and the
 * branch hints (a custom section) just before the code section: V8 reads them only there.
 */
function assemble(sections: RawSection[], replaced: Map<number, Uint8Array | undefined>, remap: (index: number) => number, branchHints: Uint8Array): Uint8Array {
  const out = new ByteWriter(sections.reduce((n, s) => n + s.content.length + 8, 256));
  out.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  const present = new Set(sections.map((s) => s.id));
  const emitted = new Set<number>();
  const emit = (id: number, body: Uint8Array | undefined) => {
    emitted.add(id);
    if (body !== undefined) out.section(id, body);
  };
  const emitAddedBefore = (id: number) => {
    for (const candidate of sectionOrder) {
      if (candidate === id) return;
      if (!present.has(candidate) && !emitted.has(candidate) && replaced.has(candidate)) emit(candidate, replaced.get(candidate));
    }
  };
  const lastKnown = sections.findLastIndex((s) => s.id !== sectionId.custom);
  sections.forEach((section, position) => {
    // Custom sections after the last known one (such as `name`) stay last.
    if (position > lastKnown) emitAddedBefore(-1);
    if (section.id === sectionId.custom) {
      if (droppedCustomSection.test(section.name)) return;
      const body = section.name === 'name' ? remapNameSection(section.content, remap) : section.content;
      if (body !== undefined) out.section(0, new ByteWriter().name(section.name).bytes(body));
      return;
    }
    emitAddedBefore(section.id);
    if (section.id === sectionId.code) out.section(sectionId.custom, branchHints);
    emit(section.id, replaced.has(section.id) ? replaced.get(section.id) : section.content);
  });
  emitAddedBefore(-1);
  return out.finish().slice();
}
