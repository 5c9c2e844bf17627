import { Command } from 'commander';
import { benchmarks } from '../../../bench/index.ts';
import { benchReport } from '../../../bench/benchmark.ts';

/** `wasm-operator bench <name>`: one subcommand per benchmark in bench/index.ts. */
export function benchCommand(): Command {
  const bench = new Command('bench').description('Run a benchmark (see docs/benchmarks.md); --json prints one JSON object');
  for (const [name, entry] of Object.entries(benchmarks)) {
    const sub = new Command(name)
      .description(entry.description)
      .option('--quick', 'fewer repetitions; finishes in under 2 minutes', false)
      .option('--json', 'print exactly one JSON object on stdout', false)
      .allowUnknownOption(false);
    for (const option of entry.options ?? []) sub.option(option.flags, option.description, option.defaultValue);
    sub.action(async (opts: Record<string, string | boolean | undefined>) => {
      const benchmark = await entry.load();
      const log = (message: string) => process.stderr.write(`[bench ${name}] ${message}\n`);
      const outcome = await benchmark.run({ quick: opts.quick === true, options: opts, log });
      const report = benchReport(name, outcome);
      process.stdout.write(opts.json === true ? `${JSON.stringify(report)}\n` : `${JSON.stringify(report, null, 2)}\n`);
    });
    bench.addCommand(sub.exitOverride());
  }
  return bench;
}
