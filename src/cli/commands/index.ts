import type { Command } from 'commander';
import { apiserverCommand } from './apiserver.ts';
import { benchCommand } from './bench.ts';

/** Every subcommand, in the order `--help` lists them. */
export function commands(): Command[] {
  return [benchCommand(), apiserverCommand()];
}
