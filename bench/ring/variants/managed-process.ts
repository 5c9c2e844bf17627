/**
 * A child process a variant starts: spawned, optionally awaited until it prints a ready line,
 * stopped with SIGTERM (SIGKILL after a grace period), and its last words kept for errors.
 */
import { WasmOperatorError } from '../../../src/errors.ts';
import { spawn, type ChildProcess } from 'node:child_process';

export interface ManagedProcess {
  readonly pid: number;
  /** True once the process has exited. */
  readonly exited: boolean;
  /** The last few KB of its stdout and stderr, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolve only once stdout shows a line matching this (default: at once). */
  ready?: RegExp;
  readyTimeoutMs?: number;
  /** Called with the pid as soon as the process exists. */
  onSpawn?: (pid: number) => void;
  /** How long SIGTERM gets before SIGKILL. */
  stopGraceMs?: number;
}

/** `pid N (exited|running): <last output>` when the process exited or printed anything beyond `quiet`; undefined otherwise. */
export function describeProblem(p: ManagedProcess, quiet?: RegExp): string | undefined {
  const said = (quiet === undefined ? p.output() : p.output().replace(quiet, '')).trim();
  if (!p.exited && said === '') return undefined;
  return `pid ${p.pid} (${p.exited ? 'exited' : 'running'}): ${said.slice(-1_500)}`;
}

/** The process exited, or did not get ready in time. */
export class ProcessStartError extends WasmOperatorError {
  constructor(what: string, reason: string, output: string) {
    super('BENCH_PROCESS_START', `${what} ${reason}${output.trim() === '' ? '' : `; its output ended with:\n${output.trim()}`}`, { process: what });
  }
}

export async function spawnManaged(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ManagedProcess> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  let tail = '';
  let onReadyLine: (() => void) | undefined;
  const keep = (chunk: string) => {
    tail += chunk;
    if (tail.length > 8_000) tail = tail.slice(-4_000);
    if (onReadyLine !== undefined && options.ready?.test(tail) === true) onReadyLine();
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const what = `${args.slice(0, 2).join(' ')} (pid ${child.pid})`;

  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new ProcessStartError(what, `could not start: ${err.message}`, '')));
    if (options.ready === undefined) {
      child.once('spawn', () => resolve());
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new ProcessStartError(what, `was not ready within ${options.readyTimeoutMs} ms`, tail));
    }, options.readyTimeoutMs ?? 120_000);
    onReadyLine = () => {
      clearTimeout(timer);
      onReadyLine = undefined;
      resolve();
    };
    void exit.then(() => {
      clearTimeout(timer);
      reject(new ProcessStartError(what, `exited (${child.signalCode ?? child.exitCode}) before it was ready`, tail));
    });
  });

  return {
    pid: child.pid!,
    get exited() {
      return hasExited(child);
    },
    output: () => tail,
    stop: async () => {
      if (hasExited(child)) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.stopGraceMs ?? 10_000);
      await exit;
      clearTimeout(timer);
    },
  };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
