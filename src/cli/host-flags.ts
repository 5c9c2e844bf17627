/**
 * The flags `run` and `dev` share (logging, state, memory budget, status endpoints), turned
 * into typed options, and the shutdown both do on SIGINT/SIGTERM.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { createLogger, type LogFormat, type Logger, type LogLevel } from '../log/index.ts';
import { UsageError } from '../errors.ts';
import type { SnapshotCompression } from '../wasm/index.ts';

export interface HostFlags {
  /** Always set for `dev`; absent for `run` in cluster mode. */
  file?: string;
  stateDir: string;
  /** As given; `maxResidentBytes()` parses it (lazily: the quantity parser lives with the runtime). */
  maxResidentMemory?: string;
  logFormat: LogFormat;
  logLevel: LogLevel;
  statusAddress: { host: string; port: number } | 'off';
  kubeQps?: number;
  kubeBurst?: number;
  snapshotCompression: SnapshotCompression;
}

function address(value: string): { host: string; port: number } | 'off' {
  if (value === 'off') return 'off';
  const match = /^(.*):(\d+)$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || !Number.isInteger(port) || port > 65535) throw new InvalidArgumentError('must be host:port (port 0 picks a free one) or "off"');
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1', port };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

/** The client-side rate limit the flags ask for, or undefined for the client's default. */
export function kubeRateLimit(flags: HostFlags): { qps: number; burst: number } | undefined {
  if (flags.kubeQps === undefined && flags.kubeBurst === undefined) return undefined;
  const qps = flags.kubeQps ?? 50;
  return { qps, burst: flags.kubeBurst ?? Math.max(100, qps * 2) };
}

/**
 * Adds the shared flags; `stateDir` is the default state directory of the command. `file`
 * says whether `-f` is required (dev) or selects local mode when given (run).
 */
export function addHostFlags(command: Command, stateDir: string, file: { required: boolean; description: string }): Command {
  return (file.required ? command.requiredOption('-f, --file <operators.yaml>', file.description) : command.option('-f, --file <operators.yaml>', file.description))
    .option('--state-dir <dir>', 'snapshots and pending work; a restarted host resumes from here', stateDir)
    .option('--max-resident-memory <quantity>', 'suspend the least recently active operators to keep their memory under this (e.g. 64Mi)')
    .addOption(new Option('--log-format <format>', 'log lines for people or machines').choices(['text', 'json']).default('text'))
    .addOption(new Option('--log-level <level>', 'least important lines shown').choices(['debug', 'info', 'warn', 'error']).default('info'))
    .option('--kube-qps <n>', 'requests per second the host sends to the API server, all operators together (default 50)', positiveNumber)
    .addOption(new Option('--snapshot-compression <mode>', 'how suspended operators are stored: zstd for small snapshots and raw pages for large ones (fastest wake-up), all zstd (least disk), or all raw').choices(['auto', 'zstd', 'none']).default('auto'))
    .option('--kube-burst <n>', 'requests the host may send at once above --kube-qps (default 100)', positiveNumber)
    .addOption(new Option('--status-address <host:port>', 'serve /metrics, /healthz, /readyz and /operators here, or "off"').argParser(address).default(address('127.0.0.1:8081'), '127.0.0.1:8081'));
}

/** A commander argument parser for a repeatable, comma-separated list flag (`--namespace a,b --namespace c`). */
export function listFlag(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** The memory budget in bytes, or undefined for none. */
export async function maxResidentBytes(flags: HostFlags): Promise<number | undefined> {
  if (flags.maxResidentMemory === undefined) return undefined;
  const { parseByteSize } = await import('../runtime/index.ts');
  try {
    return parseByteSize(flags.maxResidentMemory, 1);
  } catch (err) {
    throw new UsageError(`--max-resident-memory ${flags.maxResidentMemory}: ${(err as Error).message}`);
  }
}

export function hostLogger(flags: Pick<HostFlags, 'logFormat' | 'logLevel'>): Logger {
  return createLogger({ format: flags.logFormat, level: flags.logLevel, write: (line) => process.stderr.write(line) });
}

/**
 * Resolves on the first SIGINT or SIGTERM (time to shut down gracefully); a second one exits
 * at once, for when a graceful stop hangs.
 */
export function shutdownSignal(logger: Logger): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: string) => {
      if (received) {
        logger.log('warn', 'host.forced-exit', { signal });
        process.exit(130);
      }
      received = true;
      logger.log('info', 'host.stopping', { signal, hint: 'finishing reconciles and writing snapshots; signal again to exit now' });
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
