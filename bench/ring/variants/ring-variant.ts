/**
 * A variant of the ring experiment: one way of running N ring operators. The harness gives it
 * a kubeconfig for the (already prepared) ring and measures whatever processes it names.
 */
import { WasmOperatorError } from '../../../src/errors.ts';

export interface VariantContext {
  /** A kubeconfig reaching the ring's API server. */
  kubeconfigPath: string;
  /** How many operators; operator i gets index i in a ring of ringSize(operators) (ring-protocol.ts). */
  operators: number;
  /** A fresh directory for this run's files (modules, operators.yaml, state); removed afterwards. */
  workDir: string;
  /** A variant that starts processes one by one checks this between them (memory limit reached, run aborted). */
  signal: AbortSignal;
  /**
   * Names a process of the variant as soon as it is spawned: the harness measures it and every
   * descendant of it (and its memory guard sees it while the variant is still starting).
   */
  track(pid: number): void;
  /** The memory the run may use at most; a variant that can foresee passing it refuses to start. */
  memoryLimitBytes: number;
  log(message: string): void;
}

export interface RunningVariant {
  /** How it runs, for the report (informer mode, module sizes, ...). */
  params: Record<string, unknown>;
  /** What its processes said (errors, warnings) and which exited unasked: why a round may never end. */
  problems(): string[];
  /** Stops every process; resolves once they have exited. */
  stop(): Promise<void>;
}

export interface RingVariant {
  readonly name: string;
  readonly description: string;
  /** Runs before anything starts: builds what the variant needs, or rejects with VariantUnavailableError when this build cannot run it. */
  prepare?(log: (message: string) => void): Promise<void>;
  /** Starts all operators; may resolve before they are watching (the harness's first round waits for them). */
  start(ctx: VariantContext): Promise<RunningVariant>;
}

/** A variant that cannot run in this build (e.g. the host it needs is not there yet). */
export class VariantUnavailableError extends WasmOperatorError {
  constructor(variant: string, reason: string) {
    super('BENCH_VARIANT_UNAVAILABLE', `variant ${variant} is not available: ${reason}`, { variant });
  }
}

/** The variant would pass the run's memory limit. */
export class MemoryLimitError extends WasmOperatorError {
  constructor(message: string, context: Record<string, unknown>) {
    super('BENCH_MEMORY_LIMIT', message, context);
  }
}
