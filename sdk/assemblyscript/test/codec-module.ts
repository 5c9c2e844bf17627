/**
 * Loads sdk/assemblyscript/test/assembly/codec.ts (compiled once per test process) and
 * wraps its exports as plain functions over strings.
 */
import { fileURLToPath } from 'node:url';
import { compileAssemblyScript } from '../../../src/build/toolchains/assemblyscript.ts';

const SOURCE = fileURLToPath(new URL('./assembly/codec.ts', import.meta.url));

interface CodecExports {
  memory: WebAssembly.Memory;
  _initialize(): void;
  wo_alloc(size: number): number;
  outPtr(): number;
  roundtrip(ptr: number, len: number): number;
  cloneAndEdit(ptr: number, len: number): number;
  typedReads(ptr: number, len: number): number;
  formatTime(ms: bigint): number;
  parseTime(ptr: number, len: number): bigint;
  plural(ptr: number, len: number): number;
  path(ptr: number, len: number): number;
  integer(ptr: number, len: number): bigint;
}

export interface Codec {
  /** The guest's JSON text for `text`, or undefined when the guest found it invalid. */
  roundtrip(text: string): string | undefined;
  cloneAndEdit(text: string): string;
  typedReads(text: string): string;
  formatTime(ms: bigint): string;
  parseTime(text: string): bigint;
  plural(kind: string): string;
  path(request: object): string;
  integer(text: string): bigint;
}

let loaded: Promise<Codec> | undefined;

export function codec(): Promise<Codec> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<Codec> {
  const wasm = await compileAssemblyScript(SOURCE, { optimize: true, inputs: new Set(), operator: false });
  const module = await WebAssembly.compile(wasm);
  const guest: { memory?: WebAssembly.Memory } = {}; // set once instantiated; only an abort reads it
  // The codec needs no host; only an abort reaches one (its log line, then a trap).
  const imports: Record<string, Record<string, () => never>> = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    imports[imp.module] ??= {};
    imports[imp.module]![imp.name] = (...args: unknown[]) => {
      const [ptr, len] = args as [number, number];
      const detail = imp.name === 'log' ? new TextDecoder().decode(new Uint8Array(guest.memory!.buffer, ptr, len)) : '';
      throw new Error(`codec test module called ${imp.module}.${imp.name} ${detail}`);
    };
  }
  const e = (await WebAssembly.instantiate(module, imports)).exports as unknown as CodecExports;
  guest.memory = e.memory;
  e._initialize();
  const put = (text: string): [number, number] => {
    const bytes = new TextEncoder().encode(text);
    const ptr = e.wo_alloc(bytes.length);
    new Uint8Array(e.memory.buffer, ptr, bytes.length).set(bytes);
    return [ptr, bytes.length];
  };
  const take = (len: number) => new TextDecoder().decode(new Uint8Array(e.memory.buffer, e.outPtr(), len));
  const viaText = (fn: (ptr: number, len: number) => number) => (text: string) => take(fn(...put(text)));
  return {
    roundtrip: (text) => {
      const len = e.roundtrip(...put(text));
      return len < 0 ? undefined : take(len);
    },
    cloneAndEdit: viaText(e.cloneAndEdit),
    typedReads: viaText(e.typedReads),
    formatTime: (ms) => take(e.formatTime(ms)),
    parseTime: (text) => e.parseTime(...put(text)),
    plural: viaText(e.plural),
    path: (request) => take(e.path(...put(JSON.stringify(request)))),
    integer: (text) => e.integer(...put(text)),
  };
}
