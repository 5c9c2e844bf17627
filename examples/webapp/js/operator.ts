/**
 * webapp, in TypeScript: a WebApp (image, replicas, port) becomes a Deployment and a Service
 * that it owns. The WebApp's status reports the ready replicas and a Ready condition; a
 * finalizer lets the operator delete what it created before the WebApp goes away.
 */
import {
  api, cache, config, done, failed, finalizers, isAlreadyExists, isControlledBy, log,
  findCondition, setCondition, setControllerReference,
} from 'wasm-operator/js';
import type { Condition, KubeObject, ReconcileRequest, Result } from 'wasm-operator/js';

const FINALIZER = 'example.com/webapp-cleanup';

interface WebApp extends KubeObject {
  spec?: { image?: string; replicas?: number; port?: number };
  status?: { observedGeneration?: number; readyReplicas?: number; conditions?: Condition[] };
}

interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
}

interface Deployment extends KubeObject {
  spec: { replicas?: number; selector: unknown; template: { metadata: unknown; spec: { containers: Container[] } } };
  status?: { readyReplicas?: number };
}

interface Service extends KubeObject {
  spec: { selector: Record<string, string>; ports: { name: string; port: number; targetPort: string }[] };
}

/** What one WebApp asks for, with the operator's defaults filled in. */
class Wanted {
  readonly app: WebApp;
  readonly image: string;
  readonly replicas: number;
  readonly port: number;

  constructor(app: WebApp) {
    this.app = app;
    this.image = app.spec?.image || String(config().defaultImage ?? 'nginx:1.27');
    this.replicas = app.spec?.replicas ?? 1;
    this.port = app.spec?.port ?? 80;
  }

  get labels(): Record<string, string> {
    return { 'app.kubernetes.io/name': this.app.metadata.name ?? '', 'app.kubernetes.io/managed-by': 'webapp' };
  }

  child<T extends KubeObject>(apiVersion: string, kind: string, spec: T['spec']): T {
    const { name, namespace } = this.app.metadata;
    const object = { apiVersion, kind, metadata: { name, namespace, labels: this.labels }, spec } as unknown as T;
    return setControllerReference(object, this.app);
  }

  deployment(): Deployment {
    return this.child<Deployment>('apps/v1', 'Deployment', {
      replicas: this.replicas,
      selector: { matchLabels: this.labels },
      template: {
        metadata: { labels: this.labels },
        spec: { containers: [{ name: 'web', image: this.image, ports: [{ name: 'http', containerPort: this.port }] }] },
      },
    });
  }

  service(): Service {
    return this.child<Service>('v1', 'Service', {
      selector: this.labels,
      ports: [{ name: 'http', port: this.port, targetPort: 'http' }],
    });
  }
}

const deploymentDrifted = (current: Deployment, desired: Deployment): boolean => {
  const [c] = current.spec.template.spec.containers;
  const [d] = desired.spec.template.spec.containers;
  return (current.spec.replicas ?? 1) !== desired.spec.replicas || c?.image !== d?.image ||
    c?.ports?.[0]?.containerPort !== d?.ports?.[0]?.containerPort;
};

const serviceDrifted = (current: Service, desired: Service): boolean =>
  current.spec.ports[0]?.port !== desired.spec.ports[0]?.port;

/**
 * Creates `desired` when the cache has none, or merge-patches its spec when it drifted.
 * Returns the live object; throws (so the host retries) when the API refuses.
 */
function ensure<T extends KubeObject>(app: WebApp, desired: T, drifted: (current: T, desired: T) => boolean): T | undefined {
  const ref = { apiVersion: desired.apiVersion, kind: desired.kind, namespace: desired.metadata.namespace, name: desired.metadata.name ?? '' };
  const current = cache.get<T>(ref);
  if (!current) {
    try {
      const created = api.create(desired, { fieldManager: 'webapp' });
      log.info(`created ${ref.kind} ${ref.namespace}/${ref.name}`);
      return created;
    } catch (err) {
      if (isAlreadyExists(err)) return desired; // the cache lags our own create; its event follows
      throw err;
    }
  }
  if (!isControlledBy(current, app)) {
    log.warn(`${ref.kind} ${ref.namespace}/${ref.name} exists and is not controlled by this WebApp; leaving it alone`);
    return undefined;
  }
  if (!drifted(current, desired)) return current;
  const patched = api.patch<T>(ref, { spec: desired.spec }, { fieldManager: 'webapp' });
  log.info(`updated ${ref.kind} ${ref.namespace}/${ref.name}`);
  return patched;
}

/** Deletes the children explicitly (not only through garbage collection), then lets the WebApp go. */
function cleanUp(app: WebApp): Result {
  if (!finalizers.has(app, FINALIZER)) return done();
  const { name = '', namespace } = app.metadata;
  api.delete({ apiVersion: 'apps/v1', kind: 'Deployment', namespace, name });
  api.delete({ apiVersion: 'v1', kind: 'Service', namespace, name });
  finalizers.remove(app, FINALIZER);
  log.info(`cleaned up ${namespace}/${name}`);
  return done();
}

/** Writes observedGeneration, readyReplicas and the Ready condition, only when they changed. */
function writeStatus(app: WebApp, deployment: Deployment | undefined, wanted: Wanted): Result {
  const generation = app.metadata.generation;
  const ready = deployment?.status?.readyReplicas ?? 0;
  const summary = `${ready}/${wanted.replicas} replicas ready`;
  const conditions = setCondition(app.status?.conditions, ready >= wanted.replicas
    ? { type: 'Ready', status: 'True', reason: 'ReplicasReady', message: summary, observedGeneration: generation }
    : { type: 'Ready', status: 'False', reason: 'ReplicasNotReady', message: summary, observedGeneration: generation });
  const status = { ...app.status, observedGeneration: generation, readyReplicas: ready, conditions };
  // Compared field by field, not as JSON text: the API server need not keep our key order.
  const before = findCondition(app.status?.conditions, 'Ready');
  const after = findCondition(conditions, 'Ready')!;
  const changed = app.status?.observedGeneration !== generation || app.status?.readyReplicas !== ready ||
    before === undefined || (['status', 'reason', 'message', 'observedGeneration'] as const).some((k) => before[k] !== after[k]);
  // No write when nothing changed: a write is a watch event, and an event is a reconcile.
  if (!changed) return done();
  api.patch({ apiVersion: app.apiVersion, kind: app.kind, namespace: app.metadata.namespace, name: app.metadata.name ?? '' }, { status }, { subresource: 'status' });
  return done();
}

export function reconcile(request: ReconcileRequest): Result {
  let app = cache.get<WebApp>(request);
  if (!app) return done(); // deleted: owner references let the garbage collector remove the rest
  if (app.metadata.deletionTimestamp) return cleanUp(app);

  app = finalizers.add(app, FINALIZER);
  const wanted = new Wanted(app);
  const deployment = ensure(app, wanted.deployment(), deploymentDrifted);
  const service = ensure(app, wanted.service(), serviceDrifted);
  if (!deployment || !service) return failed('a Deployment or Service of this name belongs to someone else', { terminal: true });
  return writeStatus(app, deployment, wanted);
}
