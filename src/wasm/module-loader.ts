/**
 * Turns bytes into a WasmModule: validate, digest, read the manifest, check, rewrite,
 * compile. Compilation is asynchronous and off the main thread's critical path; the engine
 * caches the result per digest and memory limit.
 */
import { createHash } from 'node:crypto';
import { BinaryFormatError } from './binary/byte-reader.ts';
import { parseModule } from './binary/module-parser.ts';
import type { ParsedModule } from './binary/module-parser.ts';
import { ModuleError } from './errors.ts';
import { checkModuleShape } from './module-checks.ts';
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

function parseManifest(parsed: ParsedModule, source: string): Record<string, unknown> | undefined {
  const sections = parsed.sections.filter((s) => s.id === 0 && s.name === manifestSectionName);
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

/** Reads the embedded manifest without compiling anything; undefined when there is none. */
export function readManifest(bytes: Uint8Array, source: string): Record<string, unknown> | undefined {
  checkMagic(bytes, source);
  return parseManifest(parse(bytes, source), source);
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

export async function compileModule(bytes: Uint8Array, options: CompileOptions): Promise<WasmModule> {
  const { source } = options;
  checkMagic(bytes, source);
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
  const manifest = parseManifest(parsed, source);
  checkModuleShape(parsed, source);
  const maxMemoryPages = Math.min(65536, Math.floor(options.maxMemoryBytes / wasmPageBytes));
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
  return new WasmModule({
    source, digest: moduleDigest(bytes), sizeBytes: bytes.length, compiled, manifest,
    maxMemoryPages, stateGlobals: rewritten.stateGlobals, startExport: rewritten.startExport, parsed,
  });
}

