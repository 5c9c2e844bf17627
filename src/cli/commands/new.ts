import { Command, Option } from 'commander';

/** `wasm-operator new <name> --lang as|js`: scaffolds an operator project with a test. */
export function newCommand(): Command {
  return new Command('new')
    .description('Create a new operator project (source, manifest, test, operators.yaml for `dev`)')
    .argument('<name>', 'the operator\'s name (lowercase, digits and -); also the folder, unless --dir')
    .addOption(new Option('--lang <lang>', 'source language').choices(['as', 'js']).default('as'))
    .option('--dir <folder>', 'where to create the project (default: ./<name>)')
    .action(async (name: string, opts: { lang: 'as' | 'js'; dir?: string }) => {
      const [{ newProject }, { packageVersion }, { createRequire }] = await Promise.all([
        import('../../scaffold/new-project.ts'),
        import('../package-version.ts'),
        import('node:module'),
      ]);
      const require = createRequire(import.meta.url);
      const asc = require('assemblyscript/package.json') as { version: string };
      const dir = opts.dir ?? name;
      const files = await newProject(dir, name, opts.lang, { version: packageVersion(), assemblyscriptVersion: `^${asc.version}` });
      process.stdout.write(`created ${dir}/ (${files.join(', ')})\nnext: cd ${dir} && npm install && npm test\n`);
    });
}
