/**
 * The `kubernetes` Service in the `default` namespace, which kube-apiserver keeps pointing at
 * itself on every cluster (`kubectl get services` shows it): cluster IP the first of the
 * service range, port 443 named `https` to the server's own port.
 */
import { isJsonObject, type JsonObject } from '../json.ts';
import type { ResourceStore } from '../objects/resource-store.ts';
import { firstServiceIP } from '../objects/service-allocator.ts';
import type { TypeRegistry } from '../registry/type-registry.ts';

const writeOptions = { dryRun: false, fieldValidation: 'Ignore' } as const;

/** Creates the Service, or points its port at `serverPort` again after a restart on another port. */
export async function ensureKubernetesService(resources: ResourceStore, registry: TypeRegistry, serverPort: number): Promise<void> {
  const type = registry.lookup('', 'v1', 'services')!;
  const ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: serverPort }];
  const existing = resources.find(type, 'default', 'kubernetes');
  if (existing === undefined) {
    const body: JsonObject = {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: firstServiceIP(), sessionAffinity: 'None', ports },
    };
    await resources.create(type, 'default', body, writeOptions);
    return;
  }
  const current = resources.served(type, existing);
  const spec = isJsonObject(current.spec) ? current.spec : {};
  if (JSON.stringify(spec.ports) === JSON.stringify(ports)) return;
  await resources.update(type, 'default', 'kubernetes', { ...current, spec: { ...spec, ports } }, writeOptions);
}
