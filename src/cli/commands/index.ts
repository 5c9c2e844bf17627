import type { Command } from 'commander';
import { apiserverCommand } from './apiserver.ts';
import { benchCommand } from './bench.ts';
import { buildCommand } from './build.ts';
import { newCommand } from './new.ts';

/** Every subcommand, in the order `--help` lists them. */
export function commands(): Command[] {
  return [benchCommand(), apiserverCommand(), buildCommand(), newCommand()];
}
