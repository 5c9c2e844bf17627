/**
 * The engine: loads modules (compiled once per digest and memory limit), starts instances
 * cold, and moves them to and from a SnapshotStore.
 *
 * Lifecycle of one operator, as the host drives it:
 *   instantiate (runs the module's own start code, or restores its pre-initialised image) -> call `init` -> snapshot(role 'base')
 *   -> calls ... -> suspend (snapshot 'latest' as a delta against the base, then drop: the
 *   memory goes back to the OS) -> restore (fresh instance of the cached module, memory and
 *   globals from the snapshot, no guest code run) -> calls ... -> suspend ...
 */
import { ModuleError, SnapshotError } from './errors.ts';
import { MemoryAccounting } from './memory-accounting.ts';
import { MemoryReclaimer } from './memory-reclaimer.ts';
import type { MemoryUsage } from './memory-accounting.ts';
import type { ExportSpec, ImportSpec } from './module-checks.ts';
import type { ModuleCode } from './module-code.ts';
import { ImageCache, imageSectionName } from './module-image.ts';
import { compileCode, limitKey, maxMemoryPagesFor, moduleFrom, splitModule, wasmPageBytes } from './module-loader.ts';
import type { BaseImage } from './snapshot/chunk-plan.ts';
import { decodeSnapshot } from './snapshot/snapshot-decoder.ts';
import { encodeSnapshot } from './snapshot/snapshot-encoder.ts';
import type { SnapshotCompression } from './snapshot/snapshot-encoder.ts';
import type { OpenedSnapshot } from './snapshot/snapshot-file.ts';
import type { SnapshotRole, SnapshotStore } from './snapshot/snapshot-store.ts';
import { WasmInstance } from './wasm-instance.ts';
import type { CallOptions, InstanceOptions } from './wasm-instance.ts';
import type { WasmModule } from './wasm-module.ts';

export interface EngineOptions {
  /**
   * Ticks a guest may take between two looks at the clock (default 10,000). A tick is one
   * entry into a function that calls others, or 256 loop iterations: lower stops a runaway
   * guest sooner after its deadline, higher costs a little less.
   */
  fuelPerCheck?: number;
  /**
   * How snapshots store memory (default `auto`: zstd for small ones, raw pages, read straight
   * into guest memory on restore, for the others; see SnapshotCompression).
   */
  compression?: SnapshotCompression;
  /** zstd level for compressed snapshots (default 1). */
  compressionLevel?: number;
  /** Collect garbage shortly after instances are dropped, so their memory returns to the OS (default true). */
  reclaimMemory?: boolean;
}

export interface LoadOptions {
  /** Where the bytes came from, for messages. */
  source: string;
  /** The operator's memory limit; the module's memory maximum is capped to it. */
  maxMemoryBytes: number;
  /** The functions the host will provide (WASI is always provided). */
  imports?: readonly ImportSpec[];
  /** The exports the host will call. */
  requiredExports?: readonly ExportSpec[];
}

export interface SnapshotOptions {
  /** The ABI version the guest was started with; recorded, and checked on restore. */
  abiVersion?: number;
}

export interface RestoreOptions extends InstanceOptions {
  /** Refuse a snapshot taken under another ABI version. */
  abiVersion?: number;
}

export class WasmEngine {
  readonly #code = new Map<string, Promise<ModuleCode>>();
  readonly #images = new ImageCache();
  readonly #bases = new WeakMap<WasmInstance, BaseImage>();
  readonly #accounting = new MemoryAccounting();
  readonly #compression: { compression: SnapshotCompression; compressionLevel: number };
  readonly #reclaimer: MemoryReclaimer | undefined;
  readonly #instanceSettings: { fuelPerCheck: number; onDrop: (instance: WasmInstance, freedBytes: number) => void };

  constructor(options: EngineOptions = {}) {
    this.#compression = { compression: options.compression ?? 'auto', compressionLevel: options.compressionLevel ?? 1 };
    this.#reclaimer = options.reclaimMemory === false ? undefined : new MemoryReclaimer();
    this.#instanceSettings = {
      fuelPerCheck: options.fuelPerCheck ?? 10_000,
      onDrop: (instance, freedBytes) => {
        this.#accounting.untrack(instance);
        this.#reclaimer?.dropped(freedBytes);
      },
    };
  }

  /**
   * Loads a module. Its code (every section but the custom ones) is validated, rewritten and
   * compiled once per code digest and memory limit, and shared by every module with the same
   * code; its manifest and pre-initialised image are its own. Throws ModuleError, naming the
   * module and the problem, when the module is unusable or lacks an import or export.
   */
  async load(bytes: Uint8Array, options: LoadOptions): Promise<WasmModule> {
    const split = splitModule(bytes, options.source);
    const key = limitKey(split.codeDigest, maxMemoryPagesFor(options.maxMemoryBytes));
    let pending = this.#code.get(key);
    if (pending === undefined) {
      pending = compileCode(split.compileBytes(), split.codeDigest, options);
      this.#code.set(key, pending);
      pending.catch(() => this.#code.delete(key));
    }
    const module = await moduleFrom(split, bytes.length, await pending, options.source, this.#images);
    module.check(options.imports ?? [], options.requiredExports ?? []);
    return module;
  }

  /** Forgets a module's compiled code (instances and loaded modules keep working; the next load compiles again). */
  unload(module: WasmModule): void {
    this.#code.delete(limitKey(module.code.digest, module.maxMemoryPages));
  }

  /**
   * A new instance, cold. A module with a pre-initialised image starts from it (no guest code
   * runs); any other runs its own initialization, the start function then WASI `_initialize`.
   * The operator's `init` is the caller's to call.
   */
  async instantiate(module: WasmModule, options: InstanceOptions, initOptions: CallOptions = {}): Promise<WasmInstance> {
    const instance = new WasmInstance(module, options, this.#instanceSettings);
    this.#accounting.track(instance);
    try {
      if (module.image === undefined) await instance.initialize(initOptions);
      else await this.#apply(instance, module.image);
    } catch (err) {
      instance.drop();
      if (!(err instanceof SnapshotError)) throw err;
      // Verified when loaded, so only a body that lies under a valid checksum gets here.
      throw new ModuleError('MODULE_IMAGE_INVALID', module.source, `has a ${imageSectionName} section that cannot be restored (${err.detail}); rebuild the operator`, {}, err);
    }
    return instance;
  }

  /**
   * Writes the instance's state to `store` as its `role` snapshot; the instance stays live.
   * `base` (take it right after the operator's `init`) is a full image that later `latest`
   * snapshots are deltas against; writing it removes a `latest` that belonged to an older base.
   * Refused with InstanceBusyError while a call is in flight.
   */
  async snapshot(instance: WasmInstance, store: SnapshotStore, role: SnapshotRole, options: SnapshotOptions = {}): Promise<{ sizeBytes: number }> {
    const encoded = this.#encode(instance, { role, abiVersion: options.abiVersion ?? 0, ...this.#compression });
    try {
      if (role === 'base') await store.remove(instance.operator, 'latest');
      const written = await store.write(instance.operator, role, encoded.chunks);
      if (encoded.baseImage !== undefined) this.#bases.set(instance, encoded.baseImage);
      return written;
    } finally {
      encoded.release();
    }
  }

  /**
   * The instance's state as a module's pre-initialised image (the `wasm-operator.image`
   * section): a complete snapshot that names the module's code digest, so the image fits every
   * module with this code.
   */
  async image(instance: WasmInstance, options: { compressionLevel?: number } = {}): Promise<Uint8Array> {
    const encoded = this.#encode(instance, { role: 'image', abiVersion: 0, compression: 'zstd', compressionLevel: options.compressionLevel ?? 19 });
    const parts: Uint8Array[] = [];
    try {
      for await (const part of encoded.chunks) parts.push(part);
    } finally {
      encoded.release();
    }
    return new Uint8Array(Buffer.concat(parts));
  }

  /** Snapshots the instance as `latest`, then drops it so its memory returns to the OS. */
  async suspend(instance: WasmInstance, store: SnapshotStore, options: SnapshotOptions = {}): Promise<{ sizeBytes: number }> {
    const written = await this.snapshot(instance, store, 'latest', options);
    instance.drop();
    return written;
  }

  /**
   * A fresh instance of `module` in the state of the operator's newest snapshot (`latest`,
   * else `base`), without running any guest code. Undefined when the store holds none.
   * Throws SnapshotError (corrupt, truncated, other version, other module, missing base):
   * nothing was restored, start the operator cold.
   */
  async restore(module: WasmModule, store: SnapshotStore, options: RestoreOptions): Promise<WasmInstance | undefined> {
    const { operator } = options;
    // Both opened at once: a restore of a delta needs both, and each open waits on the disk.
    const [latest, base] = await Promise.allSettled([store.open(operator, 'latest', module.digest), store.open(operator, 'base', module.digest)]);
    try {
      const snapshot = settledValue(latest) ?? settledValue(base);
      if (snapshot === undefined) return undefined;
      checkCompatible(module, snapshot, options.abiVersion, operator);
      const instance = new WasmInstance(module, options, this.#instanceSettings);
      try {
        await this.#apply(instance, snapshot, snapshot.header.delta ? settledValue(base) : undefined);
      } catch (err) {
        instance.drop();
        throw err instanceof SnapshotError ? err.withContext({ operator }) : err;
      }
      this.#accounting.track(instance);
      return instance;
    } finally {
      for (const opened of [latest, base]) if (opened.status === 'fulfilled') opened.value?.bytes.close();
    }
  }

  /** Locks the instance and starts encoding its state; the caller reads `chunks` once, then calls `release`. */
  #encode(instance: WasmInstance, options: { role: SnapshotRole | 'image'; abiVersion: number; compression: SnapshotCompression; compressionLevel: number }) {
    const access = instance.lockState();
    try {
      const { module } = instance;
      const image = options.role === 'image';
      const base = options.role === 'latest' ? this.#bases.get(instance) : undefined;
      const encoded = encodeSnapshot({
        moduleDigest: image ? module.code.digest : module.digest,
        abiVersion: options.abiVersion,
        memory: access.memory(),
        globals: access.readGlobals().map((bits, i) => ({ type: module.stateGlobals[i]!.type, bits })),
        clock: access.readClock(),
        ...(base === undefined ? {} : { base }),
        asBase: options.role === 'base',
        compression: options.compression,
        compressionLevel: options.compressionLevel,
      });
      return { ...encoded, release: () => access.release() };
    } catch (err) {
      access.release();
      throw err;
    }
  }

  /** Puts a fresh instance in the state of `snapshot` (and its `base`, for a delta), running no guest code. */
  async #apply(instance: WasmInstance, snapshot: OpenedSnapshot, base?: OpenedSnapshot): Promise<void> {
    const access = instance.lockState();
    try {
      const { baseImage } = await decodeSnapshot(snapshot, {
        prepare: (pages) => {
          if (access.memory().length > pages * wasmPageBytes) {
            throw new SnapshotError('SNAPSHOT_INCOMPATIBLE', `holds ${pages} memory pages, fewer than the module starts with`);
          }
          access.growTo(pages);
          const memory = access.memory();
          for (const range of instance.module.code.dataRanges) memory.fill(0, range.offset, range.offset + range.length);
          return memory;
        },
      }, base);
      access.writeGlobals(snapshot.header.globals.map((g) => g.bits));
      access.resumeClock(snapshot.header.clock);
      if (baseImage !== undefined) this.#bases.set(instance, baseImage);
    } finally {
      access.release();
    }
  }

  /** Resident bytes of live instances (suspended ones hold none). */
  memoryUsage(): MemoryUsage {
    return this.#accounting.usage();
  }

  /** Resolves once the memory of dropped instances has been handed back (a collection ran). */
  memoryReclaimed(): Promise<void> {
    return this.#reclaimer?.settled() ?? Promise.resolve();
  }
}

/** The value, or the error thrown (a base image that fails to open matters only to a delta that needs it). */
function settledValue<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

function checkCompatible(module: WasmModule, snapshot: OpenedSnapshot, abiVersion: number | undefined, operator: string): void {
  const { header } = snapshot;
  const fail = (detail: string) => new SnapshotError('SNAPSHOT_INCOMPATIBLE', detail, { operator });
  if (abiVersion !== undefined && header.abiVersion !== abiVersion) throw fail(`was taken under ABI version ${header.abiVersion}, not ${abiVersion}`);
  const expected = module.stateGlobals.map((g) => g.type).join(',');
  if (header.globals.map((g) => g.type).join(',') !== expected) throw fail('holds globals that do not match the module');
  if (header.memoryPages > module.maxMemoryPages) throw fail(`holds ${header.memoryPages} memory pages, above the limit of ${module.maxMemoryPages}`);
}
