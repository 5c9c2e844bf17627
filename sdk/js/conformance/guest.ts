/**
 * The JS SDK's conformance guest (docs/abi.md, "Conformance"): it reconciles
 * ConformanceTest resources by running their `spec.steps` through the SDK's own API and
 * recording one result per step in the status.
 */
import {
  abort, api, cache, config, done, env, failed, finalizers, isNotFound, log, operatorName, requeueAfter,
  setCondition, setControllerReference, ApiError,
} from 'wasm-operator/js';
import type { Condition, KubeObject, KubeRequest, ObjectRef, ReconcileRequest, Result } from 'wasm-operator/js';

interface Step {
  op: string;
  [field: string]: unknown;
}

interface ConformanceTest extends KubeObject {
  spec?: { steps?: Step[] };
  status?: { observedGeneration?: number; conditions?: Condition[] };
}

type Entry = Record<string, unknown>;

/** Lives in guest memory: 1 after the first `counter` step of an instance's life. */
let counter = 0;

const patchTypes = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

function refOf(step: Step): ObjectRef {
  const ref: ObjectRef = { apiVersion: String(step.apiVersion), kind: String(step.kind), name: String(step.name) };
  if (typeof step.namespace === 'string') ref.namespace = step.namespace;
  return ref;
}

/** `{status}`, plus the Status message when the request failed. */
function entryOf(status: number, body: unknown): Entry {
  const message = (body as { message?: unknown } | null)?.message;
  return status >= 200 && status < 300 || typeof message !== 'string' ? { status } : { status, message };
}

/** A raw write, named by the operator as field manager like the SDK's own writes. */
function write(request: KubeRequest): Entry {
  const response = api.request({ ...request, query: { fieldManager: operatorName(), ...request.query } });
  return entryOf(response.status, response.body);
}

/** `{status}` of a helper that throws ApiError on failure; `ok` is its success status. */
function helperStatus(run: () => unknown, ok: number): Entry {
  try {
    run();
    return { status: ok };
  } catch (err) {
    if (err instanceof ApiError) return entryOf(err.status, err.body);
    throw err;
  }
}

export function reconcile(request: ReconcileRequest): Result {
  let test = cache.get<ConformanceTest>(request);
  if (!test) return done();
  // Steps run once per spec change: the status this guest writes triggers another reconcile.
  if (test.status?.observedGeneration === test.metadata.generation) return done();
  const results: Entry[] = [];
  let conditions = test.status?.conditions ?? [];
  let outcome = done();

  for (const step of test.spec?.steps ?? []) {
    switch (step.op) {
      case 'get': {
        const found = cache.get(refOf(step));
        results.push(found ? { found: true, resourceVersion: found.metadata.resourceVersion } : { found: false });
        break;
      }
      case 'list': {
        const query = { apiVersion: String(step.apiVersion), kind: String(step.kind) } as { apiVersion: string; kind: string; namespace?: string; labelSelector?: string };
        if (typeof step.namespace === 'string') query.namespace = step.namespace;
        if (typeof step.labelSelector === 'string') query.labelSelector = step.labelSelector;
        const names = cache.list(query).map((o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name ?? ''}` : (o.metadata.name ?? '')));
        results.push({ names });
        break;
      }
      case 'create': {
        const object = step.object as KubeObject;
        results.push(write({ method: 'POST', path: api.collectionPath({ apiVersion: object.apiVersion, kind: object.kind, namespace: object.metadata.namespace }), body: object }));
        break;
      }
      case 'update': {
        const ref = refOf(step);
        let current: KubeObject | undefined;
        try {
          current = api.get(ref);
        } catch (err) {
          if (err instanceof ApiError) {
            results.push({ status: err.status });
            break;
          }
          throw err;
        }
        if (!current) {
          results.push({ status: 404 });
          break;
        }
        const next = { ...current, ...(step.set as Record<string, unknown>) } as KubeObject;
        results.push(write({ method: 'PUT', path: api.objectPath(ref), body: next }));
        break;
      }
      case 'patch': {
        const type = String(step.patchType) as keyof typeof patchTypes;
        const ref = refOf(step);
        if (type === 'apply') {
          // an apply body is a whole (partial) object: it names itself
          const patch = step.patch as { metadata?: Record<string, unknown> };
          const metadata = { ...patch.metadata, name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) };
          const body = { ...patch, apiVersion: ref.apiVersion, kind: ref.kind, metadata };
          results.push(write({ method: 'PATCH', path: api.objectPath(ref), query: { fieldManager: 'conformance', force: 'true' }, contentType: patchTypes.apply, body }));
        } else {
          results.push(write({ method: 'PATCH', path: api.objectPath(ref), contentType: patchTypes[type], body: step.patch }));
        }
        break;
      }
      case 'delete': {
        const response = api.request({ method: 'DELETE', path: api.objectPath(refOf(step)) });
        results.push(entryOf(response.status, response.body));
        break;
      }
      case 'ownConfigMap': {
        const owned: KubeObject = {
          apiVersion: 'v1', kind: 'ConfigMap',
          metadata: { name: String(step.name), namespace: test.metadata.namespace },
          data: step.data as Record<string, string>,
        };
        setControllerReference(owned, test);
        results.push(write({ method: 'POST', path: api.collectionPath({ apiVersion: 'v1', kind: 'ConfigMap', namespace: test.metadata.namespace }), body: owned }));
        break;
      }
      case 'addFinalizer':
      case 'removeFinalizer': {
        const finalizer = String(step.finalizer);
        const has = finalizers.has(test, finalizer);
        if (has === (step.op === 'addFinalizer')) {
          results.push({ status: 0 });
          break;
        }
        const current = test;
        results.push(helperStatus(() => {
          test = step.op === 'addFinalizer' ? finalizers.add(current, finalizer) : finalizers.remove(current, finalizer);
        }, 200));
        break;
      }
      case 'condition':
        conditions = setCondition(conditions, {
          type: String(step.type),
          status: step.status as Condition['status'],
          reason: String(step.reason),
          message: String(step.message ?? ''),
          observedGeneration: test.metadata.generation,
        });
        results.push({});
        break;
      case 'log': {
        const level = (['debug', 'info', 'warn', 'error'] as const).find((l) => l === step.level) ?? 'info';
        log[level](String(step.message), step.fields as Record<string, unknown> | undefined);
        results.push({});
        break;
      }
      case 'counter':
        counter++;
        results.push({ value: counter });
        break;
      case 'config':
        results.push({ value: config()[String(step.key)] ?? null });
        break;
      case 'env':
        results.push({ value: env(String(step.name)) ?? null });
        break;
      case 'requeueAfter':
        outcome = requeueAfter(Number(step.delayMs));
        results.push({});
        break;
      case 'fail':
        outcome = failed(String(step.message), { terminal: step.terminal === true });
        results.push({});
        break;
      case 'trap':
        return abort('conformance: trap step');
      case 'loop':
        for (;;) {
          // spins until the host's deadline ends the call
        }
      case 'grow': {
        new Uint8Array(Number(step.bytes)).fill(1);
        results.push({});
        break;
      }
      default:
        results.push({ error: `unknown step op ${JSON.stringify(step.op)}` });
    }
  }

  try {
    api.patch(request, { status: { observedGeneration: test.metadata.generation, results, conditions } }, { subresource: 'status' });
  } catch (err) {
    if (isNotFound(err)) return done(); // deleted meanwhile: nothing left to report on
    throw err;
  }
  return outcome;
}
