/** Every variant of the ring experiment by name (ring-variant.ts says what a variant is). */
import { processPerOperator, singleProcess } from './baseline-variants.ts';
import type { RingVariant } from './ring-variant.ts';
import { wasmVariants } from './wasm-variants.ts';

export { MemoryLimitError, VariantUnavailableError, type RingVariant, type RunningVariant, type VariantContext } from './ring-variant.ts';

export const ringVariants: ReadonlyMap<string, RingVariant> = new Map([processPerOperator, singleProcess, ...wasmVariants].map((v) => [v.name, v]));
