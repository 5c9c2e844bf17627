/**
 * Compiles the baseline operator to JavaScript before it runs, as a TypeScript operator is
 * deployed (tsc, then `node dist/...`). Running the .ts sources directly would make each
 * baseline process load Node's type stripper too (about 12 MB more per process, measured),
 * a cost no deployed operator pays.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectPath } from '../../../src/project-path.ts';

/** The sources of the baseline process, relative to bench/ring/. */
const sources = ['ring-protocol.ts', 'baseline/ring-operator.ts', 'baseline/ring-operators-main.ts'];

/** The compiled entry (ring-operators-main.js), once compileBaseline has written it. */
export function baselineEntry(): string {
  return projectPath('.cache', 'bench-ring', 'baseline', 'ring-operators-main.js');
}

/**
 * Writes the compiled files under `.cache/bench-ring/` (inside the repository, so that
 * `@kubernetes/client-node` resolves from its node_modules).
 */
export async function compileBaseline(): Promise<void> {
  const { default: ts } = await import('typescript');
  const ringDir = projectPath('bench', 'ring');
  const outDir = projectPath('.cache', 'bench-ring');
  for (const source of sources) {
    const text = await readFile(path.join(ringDir, source), 'utf8');
    const { outputText } = ts.transpileModule(text, {
      fileName: source,
      compilerOptions: { target: ts.ScriptTarget.ES2024, module: ts.ModuleKind.ESNext, rewriteRelativeImportExtensions: true, verbatimModuleSyntax: true },
    });
    const out = path.join(outDir, source.replace(/\.ts$/, '.js'));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, outputText);
  }
}
