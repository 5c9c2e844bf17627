/**
 * The wasm variants: the `ring` example operator (examples/ring/) built by `wasm-operator
 * build`, N WasmOperators in one operators.yaml, run by one host process
 * (`wasm-operator run -f operators.yaml`), with the idle policy under test.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectPath, projectRoot } from '../../../src/project-path.ts';
import { ringOperatorsYaml, type RingIdlePolicy } from './ring-operators-yaml.ts';
import { describeProblem, spawnManaged } from './managed-process.ts';
import { VariantUnavailableError, type RingVariant } from './ring-variant.ts';


type Language = 'as' | 'js';

/** The ring example's entry per language, and the flags `wasm-operator build` needs for it. */
const sources: Record<Language, { entry: string; buildFlags: string[]; label: string }> = {
  as: { entry: 'examples/ring/assembly/index.ts', buildFlags: [], label: 'AssemblyScript' },
  js: { entry: 'examples/ring/js/operator.ts', buildFlags: ['--lang', 'js'], label: 'TypeScript (JS SDK)' },
};

const policies: Record<RingIdlePolicy, string> = {
  never: 'warm',
  immediate: 'suspend',
  adaptive: 'adaptive',
};

/** The CLI commands this build has (`run` is the host; `build` compiles operators). */
async function cliCommands(): Promise<Set<string>> {
  const { commands } = await import('../../../src/cli/commands/index.ts');
  return new Set(commands().map((c) => c.name()));
}

function wasmVariant(idlePolicy: RingIdlePolicy, language: Language): RingVariant {
  const name = `wasm-${policies[idlePolicy]}-${language}`;
  const source = sources[language];
  const moduleFile = projectPath('.cache', 'bench-ring', `ring-${language}.wasm`);
  const bundler = projectPath('scripts', 'build-dist.js');
  const bin = () => projectPath('bin', 'wasm-operator.js');
  return {
    name,
    description: `one wasm-operator host running N ${source.label} ring operators, idle policy ${idlePolicy}`,
    // Before the API server starts: rebuilding the bundle under a running process that loads
    // its chunks lazily would pull them from under it.
    async prepare(log) {
      const commands = await cliCommands();
      for (const needed of ['build', 'run']) {
        if (!commands.has(needed)) throw new VariantUnavailableError(name, `host not available yet: this build has no \`wasm-operator ${needed}\``);
      }
      if (!existsSync(projectPath(source.entry))) throw new VariantUnavailableError(name, `the ring example ${source.entry} is not in this build`);
      // The host runs as users run it: from the JavaScript bundle (bin/ falls back to the
      // TypeScript sources, 20-50 MB heavier, when they are newer than the bundle).
      if (existsSync(bundler)) await promisify(execFile)(process.execPath, [bundler], { cwd: projectRoot() });
      log(`building ${source.entry}`);
      await promisify(execFile)(process.execPath, [bin(), 'build', projectPath(source.entry), '-o', moduleFile, ...source.buildFlags], { cwd: projectRoot() });
    },
    async start(ctx) {
      const operatorsFile = path.join(ctx.workDir, 'operators.yaml');
      await writeFile(operatorsFile, ringOperatorsYaml({ operators: ctx.operators, moduleFile, idlePolicy }));

      const stateDir = path.join(ctx.workDir, 'state');
      // No status server (a fixed port would clash between runs) and warnings only: the baselines log nothing per hop either.
      // The client-node baselines send without a client-side rate limit; the host's default
      // (50 requests/s for all operators together) would make every hop of a large ring wait
      // for a token, so the host gets a limit that no ring round reaches.
      const args = [bin(), 'run', '-f', operatorsFile, '--kubeconfig', ctx.kubeconfigPath, '--state-dir', stateDir, '--status-address', 'off', '--log-level', 'warn', '--kube-qps', '10000', '--kube-burst', '10000'];
      const host = await spawnManaged(process.execPath, args, { cwd: ctx.workDir, onSpawn: ctx.track });
      return {
        params: { idlePolicy, language: source.label, kubeQps: 10_000, moduleBytes: (await stat(moduleFile)).size, processes: 1, hostFrom: existsSync(bundler) ? 'dist bundle' : 'TypeScript sources' },
        problems: () => [describeProblem(host)].flatMap((p) => p ?? []).map((p) => `host ${p}`),
        stop: () => host.stop(),
      };
    },
  };
}

export const wasmVariants: readonly RingVariant[] = (['never', 'immediate', 'adaptive'] as const).flatMap((policy) => (['as', 'js'] as const).map((language) => wasmVariant(policy, language)));
