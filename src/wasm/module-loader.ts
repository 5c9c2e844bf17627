/**
 * Turns bytes into a WasmModule: split off the custom sections, then validate, check,
 * rewrite and compile the code (the engine caches that per code digest and memory limit),
 * read the manifest and verify the pre-initialised image.
 */
import { createHash } from 'node:crypto';
import { BinaryFormatError } from './binary/byte-reader.ts';
import { parseModule, sectionId, splitSections } from './binary/module-parser.ts';
import type { ParsedModule, RawSection, SectionSpan } from './binary/module-parser.ts';
import { ModuleError } from './errors.ts';
import { checkModuleShape } from './module-checks.ts';
import { ModuleCode } from './module-code.ts';
import { readImage } from './module-image.ts';
import type { ImageCache } from './module-image.ts';
import { RewriteRejection } from './rewrite/rewrite-rejection.ts';
import { rewriteModule } from './rewrite/rewrite-module.ts';
import { WasmModule } from './wasm-module.ts';

/** The custom section that embeds an operator's manifest (JSON; the ABI defines its fields). */
export const manifestSectionName = 'wasm-operator.manifest';
export const wasmPageBytes = 65536;

export function moduleDigest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function checkMagic(bytes: Uint8Array, source: string): void {
  const magic = bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic) throw new ModuleError('MODULE_NOT_WASM', source, 'is not WebAssembly (it does not start with \\0asm)');
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    const component = bytes[6] === 1 && bytes[7] === 0;
    throw new ModuleError('MODULE_NOT_WASM', source, component ? 'is a WebAssembly component, not a core module' : `has unknown WebAssembly version ${bytes[4]}`);
  }
}

function parseManifest(custom: readonly RawSection[], source: string): Record<string, unknown> | undefined {
  const sections = custom.filter((s) => s.name === manifestSectionName);
  if (sections.length === 0) return undefined;
  if (sections.length > 1) throw new ModuleError('MODULE_MANIFEST_INVALID', source, `has ${sections.length} ${manifestSectionName} sections; it needs at most one`);
  let manifest: unknown;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(sections[0]!.content));
  } catch (err) {
    throw new ModuleError('MODULE_MANIFEST_INVALID', source, `has a ${manifestSectionName} section that is not UTF-8 JSON`, {}, err);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new ModuleError('MODULE_MANIFEST_INVALID', source, `has a ${manifestSectionName} section that is not a JSON object`);
  }
  return manifest as Record<string, unknown>;
}

/** Reads the embedded manifest without compiling (or hashing) anything; undefined when there is none. */
export function readManifest(bytes: Uint8Array, source: string): Record<string, unknown> | undefined {
  return parseManifest(sectionsOf(bytes, source).filter((s) => s.id === sectionId.custom), source);
}

function sectionsOf(bytes: Uint8Array, source: string): SectionSpan[] {
  checkMagic(bytes, source);
  try {
    return splitSections(bytes);
  } catch (err) {
    if (err instanceof BinaryFormatError) throw new ModuleError('MODULE_INVALID', source, `is not valid WebAssembly (${err.message})`, {}, err);
    throw err;
  }
}

function parse(bytes: Uint8Array, source: string): ParsedModule {
  try {
    return parseModule(bytes);
  } catch (err) {
    if (err instanceof BinaryFormatError) throw new ModuleError('MODULE_UNSUPPORTED', source, `uses something the engine does not support: ${err.message}`, {}, err);
    throw err;
  }
}

export interface CompileOptions {
  source: string;
  /** The memory limit; the module's memory maximum is capped to it (rounded down to whole 64 KiB pages). */
  maxMemoryBytes: number;
}

/** The key of what the engine caches per digest and memory limit (compiled code, images). */
export function limitKey(digest: string, maxMemoryPages: number): string {
  return `${digest}/${maxMemoryPages}`;
}

export function maxMemoryPagesFor(maxMemoryBytes: number): number {
  return Math.min(65536, Math.floor(maxMemoryBytes / wasmPageBytes));
}

/**
 * A module split into what is compiled and what is not. The code is every section but the
 * custom ones; its digest keys the compile cache, so modules that differ only in custom
 * sections (every JS operator: the same engine plus its own manifest and image) share one
 * compiled module. Only the `name` section goes along into compilation, for function names in
 * traps: the shared code keeps the names of the first module compiled.
 */
export interface SplitModule {
  /** `sha256:<hex>` of all the bytes. */
  digest: string;
  /** `sha256:<hex>` of the magic and every non-custom section, as encoded. */
  codeDigest: string;
  /** The module to compile: the code and the `name` section. */
  compileBytes(): Uint8Array;
  /** Custom sections (views of the module's bytes). */
  custom: RawSection[];
}

export function splitModule(bytes: Uint8Array, source: string): SplitModule {
  const sections = sectionsOf(bytes, source);
  const code = sections.filter((s) => s.id !== sectionId.custom);
  const hash = createHash('sha256').update(bytes.subarray(0, 8));
  for (const section of code) hash.update(section.encoded);
  return {
    digest: moduleDigest(bytes),
    codeDigest: `sha256:${hash.digest('hex')}`,
    compileBytes: () => Buffer.concat([bytes.subarray(0, 8), ...sections.filter((s) => s.id !== sectionId.custom || s.name === 'name').map((s) => s.encoded)]),
    custom: sections.filter((s) => s.id === sectionId.custom),
  };
}

/** Validates, checks, rewrites and compiles a module's code (see splitModule). */
export async function compileCode(bytes: Uint8Array, codeDigest: string, options: CompileOptions): Promise<ModuleCode> {
  const { source } = options;
  if (!WebAssembly.validate(bytes)) {
    let reason = 'validation failed';
    try {
      new WebAssembly.Module(bytes);
    } catch (err) {
      reason = err instanceof Error ? err.message : String(err);
    }
    throw new ModuleError('MODULE_INVALID', source, `is not valid WebAssembly (${reason})`);
  }
  const parsed = parse(bytes, source);
  checkModuleShape(parsed, source);
  const maxMemoryPages = maxMemoryPagesFor(options.maxMemoryBytes);
  let rewritten;
  try {
    rewritten = rewriteModule(parsed, { maxMemoryPages });
  } catch (err) {
    if (err instanceof RewriteRejection) throw new ModuleError(err.code, source, err.message, { maxMemoryPages }, err);
    if (err instanceof BinaryFormatError) throw new ModuleError('MODULE_UNSUPPORTED', source, `uses something the engine does not support: ${err.message}`, {}, err);
    throw err;
  }
  let compiled: WebAssembly.Module;
  try {
    compiled = await WebAssembly.compile(rewritten.bytes);
  } catch (err) {
    throw new ModuleError('MODULE_REWRITE_FAILED', source, 'could not be compiled after rewriting (an engine bug: please report it with the module)', {}, err);
  }
  return new ModuleCode({ digest: codeDigest, compiled, maxMemoryPages, stateGlobals: rewritten.stateGlobals, startExport: rewritten.startExport, parsed });
}

/** The WasmModule for `split`, whose code is `code`: reads its manifest and verifies its image. */
export async function moduleFrom(split: SplitModule, sizeBytes: number, code: ModuleCode, source: string, images: ImageCache): Promise<WasmModule> {
  const manifest = parseManifest(split.custom, source);
  const image = await images.get(limitKey(split.digest, code.maxMemoryPages), () => readImage(split.custom, code, source));
  return new WasmModule({ source, digest: split.digest, sizeBytes, code, manifest, image });
}
