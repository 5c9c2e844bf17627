/**
 * The embedded API server in its own process, started as a user starts it
 * (`wasm-operator apiserver --in-memory`), so the measured host's memory and event loop are
 * its own. Shared by the wake and ring benchmarks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { projectPath } from '../src/project-path.ts';

export interface ApiServerProcess {
  readonly url: string;
  readonly kubeconfigPath: string;
  readonly pid: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

export interface ApiServerProcessOptions {
  /** Node flags before the CLI (e.g. `--import` of an instrumentation module). */
  nodeArgs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Opens an IPC channel to the child. */
  ipc?: boolean;
}

export async function startApiServerProcess(kubeconfigPath: string, options: ApiServerProcessOptions = {}): Promise<ApiServerProcess> {
  const args = [...(options.nodeArgs ?? []), projectPath('bin', 'wasm-operator.js'), 'apiserver', '--port', '0', '--in-memory', '--kubeconfig-out', kubeconfigPath];
  const child = spawn(process.execPath, args, {
    stdio: options.ipc === true ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['ignore', 'ignore', 'pipe'],
    env: options.env ?? process.env,
  });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4_000);
      const m = /listening on (https?:\/\/\S+)[\s\S]*kubeconfig written/.exec(stderr);
      if (m !== null) resolve(m[1]!);
    });
    child.once('exit', (code, signal) => reject(new Error(`the API server exited (${signal ?? code}) before listening: ${stderr.trim()}`)));
  });
  return {
    url,
    kubeconfigPath,
    pid: child.pid!,
    child,
    stop: () => stopChild(child),
  };
}

/** SIGTERM, then SIGKILL after 10 s; resolves when the process has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
