/**
 * `wasm-operator run` in its own process, as a user runs it (from the dist/ bundle), watched
 * through its JSON log lines and its status server (`/operators`, `/metrics`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectPath } from '../../src/project-path.ts';
import { stopChild } from '../api-server-process.ts';

export interface HostProcessOptions {
  operatorsFile: string;
  kubeconfigPath: string;
  stateDirectory: string;
  /** Node flags before the script (e.g. `--import` of a preload). */
  nodeArgs?: readonly string[];
  logLevel?: 'debug' | 'info';
  /** Every log line, parsed, with the time the bench read it (or the stamp a preload put on it). */
  onLine?: (line: HostLogLine) => void;
}

export interface HostLogLine {
  event: string;
  fields: Record<string, unknown>;
  /** process.hrtime.bigint() when the host wrote the line, if a stamping preload runs; else undefined. */
  stampNs: bigint | undefined;
}

/** What `/operators` says about one operator (the fields the bench reads). */
export interface OperatorFigures {
  name: string;
  phase: string;
  reconciles: number;
  wakeUps: number;
  suspensions: number;
  failures: number;
}

/** RSS split as the kernel reports it, and PSS (shared pages divided among their users). */
export interface ProcessMemory {
  rssBytes: number;
  anonBytes: number;
  fileBytes: number;
  pssBytes: number;
}

export class HostProcess {
  readonly #child: ChildProcess;
  readonly statusUrl: string;
  #stderr = '';

  private constructor(child: ChildProcess, statusUrl: string) {
    this.#child = child;
    this.statusUrl = statusUrl;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** Starts the host and resolves once its status server answers (operators are starting then). */
  static async start(options: HostProcessOptions): Promise<HostProcess> {
    const args = [
      ...(options.nodeArgs ?? []),
      projectPath('bin', 'wasm-operator.js'),
      'run', '-f', options.operatorsFile,
      '--kubeconfig', options.kubeconfigPath,
      '--state-dir', options.stateDirectory,
      '--status-address', '127.0.0.1:0',
      '--log-format', 'json',
      '--log-level', options.logLevel ?? 'info',
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let tail = '';
    let pending = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-8_000);
        pending += chunk;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const text = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          if (text.includes('sources changed since the last')) reject(new Error('the host would run from TypeScript sources, not dist/: run `npm run build` first'));
          const line = parseLine(text);
          if (line === undefined) continue;
          if (line.event === 'host.status') resolve(String(line.fields.url));
          options.onLine?.(line);
        }
      });
      child.once('exit', (code, signal) => reject(new Error(`the host exited (${signal ?? code}): ${tail.trim()}`)));
    });
    const host = new HostProcess(child, url);
    child.stderr!.on('data', (chunk: string) => {
      host.#stderr = (host.#stderr + chunk).slice(-8_000);
    });
    return host;
  }

  async operators(): Promise<OperatorFigures[]> {
    const response = await fetch(`${this.statusUrl}/operators`);
    return ((await response.json()) as { operators: OperatorFigures[] }).operators;
  }

  /** Scrapes `/metrics` once, as Prometheus would: a host in production is scraped. */
  async scrapeMetrics(): Promise<string> {
    return (await fetch(`${this.statusUrl}/metrics`)).text();
  }

  /** Polls `/operators` every `pollMs` until `predicate` holds. */
  async until(what: string, predicate: (operators: OperatorFigures[]) => boolean, timeoutMs: number, pollMs = 100): Promise<OperatorFigures[]> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.#child.exitCode !== null) throw new Error(`the host exited while waiting until ${what}: ${this.#stderr.trim()}`);
      const operators = await this.operators();
      if (predicate(operators)) return operators;
      if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}; phases: ${phaseCounts(operators)}`);
      await sleep(pollMs);
    }
  }

  async memory(): Promise<ProcessMemory> {
    return readMemory(this.pid);
  }

  stop(): Promise<void> {
    return stopChild(this.#child);
  }
}

/** Phase counts, e.g. `suspended=99 warm=1`, for error messages and logs. */
export function phaseCounts(operators: readonly OperatorFigures[]): string {
  const counts = new Map<string, number>();
  for (const op of operators) counts.set(op.phase, (counts.get(op.phase) ?? 0) + 1);
  return [...counts].map(([phase, n]) => `${phase}=${n}`).join(' ');
}

export async function readMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
  return { rssBytes: kb(status, 'VmRSS'), anonBytes: kb(status, 'RssAnon'), fileBytes: kb(status, 'RssFile'), pssBytes: kb(rollup, 'Pss') };
}

function parseLine(text: string): HostLogLine | undefined {
  const m = /^(\d+) (\{.*)$/.exec(text);
  const json = m === null ? text : m[2]!;
  if (!json.startsWith('{')) return undefined;
  try {
    const { event, ...fields } = JSON.parse(json) as { event: string } & Record<string, unknown>;
    return { event, fields, stampNs: m === null ? undefined : BigInt(m[1]!) };
  } catch {
    return undefined;
  }
}
