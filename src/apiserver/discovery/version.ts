/**
 * `/version`. The server reports the Kubernetes version whose API it follows, which is also how
 * version-aware clients (and the kubectl dispatcher installed here) pick their behaviour.
 */
import type { JsonObject } from '../json.ts';

export const kubernetesVersion = { major: '1', minor: '32', gitVersion: 'v1.32.0' } as const;

export function versionInfo(): JsonObject {
  return {
    major: kubernetesVersion.major,
    minor: kubernetesVersion.minor,
    gitVersion: kubernetesVersion.gitVersion,
    gitCommit: 'wasm-operator-embedded-apiserver',
    gitTreeState: 'clean',
    buildDate: '2024-12-11T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'gc',
    platform: `${process.platform === 'win32' ? 'windows' : process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
