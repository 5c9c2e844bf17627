/**
 * Splits a WebAssembly module into its sections and decodes the ones the engine reasons
 * about (types, imports, functions, tables, memories, globals, exports, start, data).
 * Code and element sections stay as byte ranges: the rewriter walks them itself.
 *
 * Assumes the bytes already passed `WebAssembly.validate`; it still checks every bound and
 * throws BinaryFormatError rather than misread anything.
 */
import { ByteReader } from './byte-reader.ts';
import { op, readOpcode, skipImmediates } from './instructions.ts';

export const sectionId = {
  custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7,
  start: 8, element: 9, code: 10, data: 11, dataCount: 12, tag: 13,
} as const;

/** Value types as the engine names them; typed references (GC, function references) are `ref`. */
export type ValueType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref' | 'ref';

export interface FuncType {
  params: ValueType[];
  results: ValueType[];
}

export type ExternalKind = 'func' | 'table' | 'memory' | 'global' | 'tag';
const externalKinds: readonly ExternalKind[] = ['func', 'table', 'memory', 'global', 'tag'];

export interface Limits {
  min: number;
  max: number | undefined;
  shared: boolean;
  memory64: boolean;
}

export interface Import {
  module: string;
  name: string;
  kind: ExternalKind;
  /** For a function import, its type index. */
  typeIndex: number;
}

export interface Global {
  type: ValueType;
  mutable: boolean;
  /** The constant initializer expression, including its final `end`. */
  init: Uint8Array;
}

export interface Export {
  name: string;
  kind: ExternalKind;
  index: number;
}

/** An active data segment's destination, when its offset is a constant. */
export interface DataRange {
  offset: number;
  length: number;
}

export interface RawSection {
  id: number;
  /** For custom sections, their name; otherwise empty. */
  name: string;
  /** The section's content (after id and size). */
  content: Uint8Array;
}

export interface ParsedModule {
  sections: RawSection[];
  types: (FuncType | undefined)[];
  imports: Import[];
  /** Type index of each function defined in the module (not imported). */
  functionTypes: number[];
  tables: Limits[];
  memories: Limits[];
  globals: Global[];
  exports: Export[];
  start: number | undefined;
  /** Where active data segments write at instantiation (offset expressions evaluated). */
  dataRanges: DataRange[];
  /** Number of imports of each kind: imported items come first in each index space. */
  importCounts: Record<ExternalKind, number>;
}

const valueTypeCodes: ReadonlyMap<number, ValueType> = new Map([
  [0x7f, 'i32'], [0x7e, 'i64'], [0x7d, 'f32'], [0x7c, 'f64'], [0x7b, 'v128'], [0x70, 'funcref'], [0x6f, 'externref'],
]);

export function readValueType(r: ByteReader): ValueType {
  const code = r.u8();
  const known = valueTypeCodes.get(code);
  if (known !== undefined) return known;
  if (code === 0x63 || code === 0x64) {
    r.signed(33);
    return 'ref';
  }
  if (code >= 0x69 && code <= 0x74) return 'ref'; // abstract heap type shorthands
  return r.fail(`unknown value type 0x${code.toString(16)}`);
}

export function readLimits(r: ByteReader): Limits {
  const flags = r.u8();
  if (flags > 7) r.fail(`unknown limits flags 0x${flags.toString(16)}`);
  const memory64 = (flags & 4) !== 0;
  const readBound = () => (memory64 ? Number(r.signed(65) & 0xffff_ffff_ffffn) : r.u32());
  const min = readBound();
  const max = (flags & 1) !== 0 ? readBound() : undefined;
  return { min, max, shared: (flags & 2) !== 0, memory64 };
}

/** Reads a constant expression up to and including its `end`, returning its bytes. */
export function readConstExpr(r: ByteReader): Uint8Array {
  const start = r.pos;
  for (;;) {
    const opcode = readOpcode(r);
    skipImmediates(r, opcode);
    if (opcode === op.end) return r.bytes.subarray(start, r.pos);
  }
}

/** The value of a constant expression that is a lone `i32.const`, else undefined. */
export function constI32(expr: Uint8Array): number | undefined {
  if (expr[0] !== op.i32Const) return undefined;
  const r = new ByteReader(expr, 1);
  const value = Number(r.signed(32));
  return r.u8() === op.end ? value >>> 0 : undefined;
}

function readFuncType(r: ByteReader): FuncType | undefined {
  const form = r.u8();
  if (form !== 0x60) r.fail(`type form 0x${form.toString(16)} (GC types) is not supported`);
  return { params: r.vec(readValueType), results: r.vec(readValueType) };
}

function readImport(r: ByteReader): Import {
  const module = r.name();
  const name = r.name();
  const kind = externalKinds[r.u8()] ?? r.fail('unknown import kind');
  let typeIndex = -1;
  switch (kind) {
    case 'func': typeIndex = r.u32(); break;
    case 'table': readValueType(r); readLimits(r); break;
    case 'memory': readLimits(r); break;
    case 'global': readValueType(r); r.u8(); break;
    case 'tag': r.u8(); r.u32(); break;
  }
  return { module, name, kind, typeIndex };
}

function readTable(r: ByteReader): Limits {
  const withInit = r.bytes[r.pos] === 0x40 && r.bytes[r.pos + 1] === 0x00;
  if (withInit) r.skip(2);
  readValueType(r);
  const limits = readLimits(r);
  if (withInit) readConstExpr(r);
  return limits;
}

function readDataRange(r: ByteReader): DataRange | undefined {
  const mode = r.u32();
  if (mode === 1) {
    r.take(r.u32()); // passive
    return undefined;
  }
  if (mode === 2) r.u32(); // explicit memory index
  const offset = constI32(readConstExpr(r));
  const length = r.u32();
  r.skip(length);
  if (offset === undefined) return r.fail('data segment offset is not a constant i32');
  return { offset, length };
}

/** One section where it lies in the module's bytes. */
export interface SectionSpan extends RawSection {
  /** The whole section as it is encoded: id, size and content. */
  encoded: Uint8Array;
  /** Where `content` starts in the module. */
  contentOffset: number;
}

/** Splits a module into its sections without decoding them (views of `bytes`, nothing copied). */
export function splitSections(bytes: Uint8Array): SectionSpan[] {
  const r = new ByteReader(bytes);
  const magic = r.take(8);
  if (magic[0] !== 0 || magic[1] !== 0x61 || magic[2] !== 0x73 || magic[3] !== 0x6d) r.fail('not a WebAssembly module');
  const sections: SectionSpan[] = [];
  while (!r.done) {
    const start = r.pos;
    const id = r.u8();
    const size = r.u32();
    const body = new ByteReader(bytes, r.pos, r.pos + size);
    r.skip(size);
    const name = id === sectionId.custom ? body.name() : '';
    sections.push({ id, name, content: bytes.subarray(body.pos, body.end), encoded: bytes.subarray(start, body.end), contentOffset: body.pos });
  }
  return sections;
}

export function parseModule(bytes: Uint8Array): ParsedModule {
  const parsed: ParsedModule = {
    sections: [], types: [], imports: [], functionTypes: [], tables: [], memories: [], globals: [], exports: [],
    start: undefined, dataRanges: [], importCounts: { func: 0, table: 0, memory: 0, global: 0, tag: 0 },
  };
  for (const section of splitSections(bytes)) {
    parsed.sections.push({ id: section.id, name: section.name, content: section.content });
    const { contentOffset, content } = section;
    if (section.id !== sectionId.custom) decodeSection(parsed, section.id, new ByteReader(bytes, contentOffset, contentOffset + content.length));
  }
  for (const imported of parsed.imports) parsed.importCounts[imported.kind]++;
  return parsed;
}

function decodeSection(parsed: ParsedModule, id: number, r: ByteReader): void {
  switch (id) {
    case sectionId.type: parsed.types = r.vec(readFuncType); break;
    case sectionId.import: parsed.imports = r.vec(readImport); break;
    case sectionId.function: parsed.functionTypes = r.vec((x) => x.u32()); break;
    case sectionId.table: parsed.tables = r.vec(readTable); break;
    case sectionId.memory: parsed.memories = r.vec(readLimits); break;
    case sectionId.global:
      parsed.globals = r.vec((x) => ({ type: readValueType(x), mutable: x.u8() === 1, init: readConstExpr(x) }));
      break;
    case sectionId.export:
      parsed.exports = r.vec((x) => ({ name: x.name(), kind: externalKinds[x.u8()] ?? x.fail('unknown export kind'), index: x.u32() }));
      break;
    case sectionId.start: parsed.start = r.u32(); break;
    case sectionId.data:
      parsed.dataRanges = r.vec(readDataRange).filter((range): range is DataRange => range !== undefined);
      break;
  }
}
