import { Command, Option } from 'commander';

/** `wasm-operator build <entry> -o out.wasm`: compiles an operator and embeds its manifest. */
export function buildCommand(): Command {
  return new Command('build')
    .description('Compile an operator to a .wasm module with its manifest embedded; prints size and sha256 digest')
    .argument('<entry>', 'the operator source: assembly/index.ts (AssemblyScript), a .c file, a .go file of a main package, or a .js/.ts file with --lang js')
    .argument('[flags...]', 'after --: compiler flags added to the toolchain\'s own (e.g. -- --runtime incremental)')
    .requiredOption('-o, --out <file>', 'where to write the module')
    .addOption(new Option('--lang <lang>', 'source language (default: from the entry)').choices(['as', 'js', 'c', 'go']))
    .option('--manifest <file>', 'manifest (YAML or JSON); default: manifest.yaml|yml|json beside the entry or in its parent folder')
    .option('--debug', 'unoptimised build with names, for stack traces', false)
    .option('--no-cache', 'always compile (default: reuse .cache/build when no input changed)')
    .option('--tools-cache <folder>', 'where built tools such as the JS engine are kept (default: $WASM_OPERATOR_CACHE, else ~/.cache/wasm-operator)')
    .action(async (entry: string, flags: string[], opts: { out: string; lang?: 'as' | 'js' | 'c' | 'go'; manifest?: string; debug: boolean; cache: boolean; toolsCache?: string }) => {
      const [{ buildOperator }, { writeFile, mkdir }, path] = await Promise.all([
        import('../../build/index.ts'),
        import('node:fs/promises'),
        import('node:path'),
      ]);
      const result = await buildOperator(entry, {
        lang: opts.lang,
        manifest: opts.manifest,
        optimize: !opts.debug,
        flags,
        cacheDir: opts.cache ? undefined : null,
        log: (message) => process.stderr.write(`${message}\n`),
        ...toolsCache(opts.toolsCache ?? process.env.WASM_OPERATOR_CACHE),
      });
      await mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
      await writeFile(opts.out, result.wasm);
      const manifest = result.manifestFile === undefined ? 'no manifest' : `manifest ${path.relative(process.cwd(), result.manifestFile)}`;
      process.stdout.write(`${opts.out}: ${result.sizeBytes} bytes, ${result.digest} (${result.lang}, ${manifest}${result.cached ? ', cached' : ''})\n`);
    });
}

function toolsCache(dir: string | undefined): { toolsCacheDir?: string } {
  return dir === undefined || dir === '' ? {} : { toolsCacheDir: dir };
}
