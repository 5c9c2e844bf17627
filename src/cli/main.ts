/**
 * The `wasm-operator` command: the only place that reads argv, env and config files.
 *
 * Each subcommand lives in `commands/` and imports what it runs lazily, so that
 * `wasm-operator run` never loads the embedded API server or the build tools.
 */
import { Command, CommanderError } from 'commander';
import { describeError, UsageError, WasmOperatorError } from '../errors.ts';
import { packageVersion } from './package-version.ts';
import { commands } from './commands/index.ts';

/** Runs the CLI with the given arguments (without `node` and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('wasm-operator')
    .description('Run Kubernetes operators as WebAssembly modules; idle ones sleep on disk.')
    .version(packageVersion(), '-v, --version')
    .showHelpAfterError()
    .exitOverride();
  for (const command of commands()) program.addCommand(command.exitOverride());
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed help, the version, or what was wrong with the arguments.
      return err.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`wasm-operator: ${describeError(err)}\n`);
    if (err instanceof UsageError) return 2;
    if (!(err instanceof WasmOperatorError) && err instanceof Error && err.stack) {
      process.stderr.write(`${err.stack}\n`);
    }
    return 1;
  }
}
