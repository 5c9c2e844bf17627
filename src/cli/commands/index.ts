import type { Command } from 'commander';
import { apiserverCommand } from './apiserver.ts';
import { benchCommand } from './bench.ts';
import { buildCommand } from './build.ts';
import { devCommand } from './dev.ts';
import { newCommand } from './new.ts';
import { runCommand } from './run.ts';

/** Every subcommand, in the order `--help` lists them. */
export function commands(): Command[] {
  return [runCommand(), devCommand(), buildCommand(), newCommand(), apiserverCommand(), benchCommand()];
}
