import type { Command } from 'commander';
import { apiserverCommand } from './apiserver.ts';
import { benchCommand } from './bench.ts';
import { buildCommand } from './build.ts';
import { demoCommand } from './demo.ts';
import { devCommand } from './dev.ts';
import { installCommand } from './install.ts';
import { newCommand } from './new.ts';
import { runCommand } from './run.ts';

/** Every subcommand, in the order `--help` lists them. */
export function commands(): Command[] {
  return [demoCommand(), runCommand(), installCommand(), devCommand(), buildCommand(), newCommand(), apiserverCommand(), benchCommand()];
}
