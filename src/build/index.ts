export { buildOperator, pickLanguage, type BuildOptions, type BuildOutput } from './build.ts';
export { MANIFEST_SECTION } from './custom-section.ts';
export { BuildError, ManifestError } from './errors.ts';
export { findManifest, loadManifest, type ModuleManifest } from './manifest.ts';
export { LANGS, type Lang, type Toolchain, type ToolchainOptions } from './toolchain.ts';
