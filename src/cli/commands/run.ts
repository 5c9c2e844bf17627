import os from 'node:os';
import { Command } from 'commander';
import { addHostFlags, hostLogger, kubeRateLimit, maxResidentBytes, shutdownSignal, type HostFlags } from '../host-flags.ts';

interface RunFlags extends HostFlags {
  kubeconfig?: string;
  context?: string;
}

/** `wasm-operator run -f operators.yaml`: runs the file's operators against a cluster until SIGINT/SIGTERM. */
export function runCommand(): Command {
  const command = new Command('run')
    .description('Run the WasmOperators of a file against a Kubernetes cluster')
    .option('--kubeconfig <file>', 'kubeconfig to use (default: KUBECONFIG, in-cluster, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use');
  return addHostFlags(command, '.wasm-operator/state').action(async (flags: RunFlags) => {
    const logger = hostLogger(flags);
    const { loadKubeConfig } = await import('../../kube/index.ts');
    const { startLocalHost } = await import('../../control/index.ts');
    const restConfig = await loadKubeConfig({
      ...(flags.kubeconfig === undefined ? {} : { explicitPath: flags.kubeconfig }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      env: process.env,
      homeDir: os.homedir(),
    });
    const running = await startLocalHost({
      operatorsFile: flags.file,
      restConfig,
      stateDirectory: flags.stateDir,
      logger,
      maxResidentBytes: await maxResidentBytes(flags),
      rateLimit: kubeRateLimit(flags),
      ...(flags.statusAddress === 'off' ? {} : { status: flags.statusAddress }),
    });
    await shutdownSignal(logger);
    await running.stop();
  });
}
