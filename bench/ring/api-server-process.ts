/**
 * The ring's API server: the embedded one, started in its own process exactly as a user starts
 * it (`wasm-operator apiserver --in-memory`), the same for every variant, with the request
 * counter preloaded (request-counter.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectPath } from '../../src/project-path.ts';
import type { RequestCounters } from './request-counter.ts';

/** The User-Agent whose requests the server does not count: the driver's. */
export const uncountedAgent = 'wasm-operator-bench-ring-driver';

export interface ApiServerProcess {
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly pid: number;
  counters(): Promise<RequestCounters>;
  stop(): Promise<void>;
}

export async function startApiServerProcess(kubeconfigPath: string): Promise<ApiServerProcess> {
  const counterModule = projectPath('bench', 'ring', 'request-counter.ts');
  const child = spawn(process.execPath, ['--import', counterModule, projectPath('bin', 'wasm-operator.js'), 'apiserver', '--port', '0', '--in-memory', '--kubeconfig-out', kubeconfigPath], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: { ...process.env, RING_BENCH_UNCOUNTED_AGENT: uncountedAgent },
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4_000);
      // "kubeconfig written" follows "listening": wait for both.
      const m = /listening on (https?:\/\/\S+)[\s\S]*kubeconfig written/.exec(stderr);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code, signal) => reject(new Error(`the API server exited (${signal ?? code}) before listening: ${stderr.trim()}`)));
  });
  return {
    url,
    kubeconfigPath,
    pid: child.pid!,
    counters: () => askCounters(child),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function askCounters(child: ChildProcess): Promise<RequestCounters> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      const counters = (message as { counters?: RequestCounters } | null)?.counters;
      if (counters === undefined) return;
      child.off('message', onMessage);
      resolve(counters);
    };
    child.on('message', onMessage);
    if (!child.send('counters')) reject(new Error('the API server process has no IPC channel'));
  });
}
