// The WebAssembly JS API as Node 26 provides it. TypeScript only declares it in lib.dom,
// which would bring the whole browser into scope; this is the part the engine uses, plus
// JS Promise Integration (WebAssembly.Suspending and WebAssembly.promising).
declare namespace WebAssembly {
  type ImportValue = unknown;
  type Imports = Record<string, Record<string, ImportValue>>;
  type Exports = Record<string, unknown>;
  /** Module bytes: V8 takes any view or buffer. */
  type Bytes = ArrayBufferView | ArrayBuffer;

  class Module {
    constructor(bytes: Bytes);
    static customSections(module: Module, sectionName: string): ArrayBuffer[];
    static exports(module: Module): { name: string; kind: string }[];
    static imports(module: Module): { module: string; name: string; kind: string }[];
  }

  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }

  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }

  class Global {
    value: unknown;
  }

  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}
  class SuspendError extends Error {}

  /** Wraps an async host function so a guest calling it is suspended until the promise settles. */
  class Suspending {
    constructor(fn: (...args: never[]) => unknown);
  }

  /** Wraps an export so that calling it returns a promise and its Suspending imports may suspend. */
  function promising<F extends (...args: never[]) => unknown>(fn: F): (...args: Parameters<F>) => Promise<Awaited<ReturnType<F>>>;

  function validate(bytes: Bytes): boolean;
  function compile(bytes: Bytes): Promise<Module>;
  function instantiate(module: Module, imports?: Imports): Promise<Instance>;
}
