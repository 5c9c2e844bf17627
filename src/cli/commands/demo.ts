import { Command } from 'commander';

/** `wasm-operator demo` (what `npm start` runs): a guided tour on the embedded API server. */
export function demoCommand(): Command {
  return new Command('demo')
    .description('Build an example operator and show it reconciling, sleeping and waking on an embedded API server')
    .option('--exit', 'stop after the tour instead of leaving the API server and operator running')
    .option('--verbose', 'show the host\'s logs')
    .action(async (flags: { exit?: boolean; verbose?: boolean }) => {
      const { runDemo } = await import('../../demo/demo.ts');
      await runDemo({
        exitAfterTour: flags.exit === true,
        verbose: flags.verbose === true,
        say: (text) => process.stdout.write(`${text}\n`),
        untilStopped: () => new Promise((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        }),
      });
    });
}
