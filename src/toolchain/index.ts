/** Building guests from source (AssemblyScript, C), with a cache: for tests, benchmarks and `wasm-operator build`. */
export { buildGuest, defaultAscFlags, defaultClangFlags } from './guest-builder.ts';
export type { BuildOptions, BuiltGuest, GuestLanguage, GuestSource } from './guest-builder.ts';
export { GuestBuildError } from './guest-build-error.ts';
