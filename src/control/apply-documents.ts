/**
 * `wasm-operator dev` applies everything in the operators file that is not a WasmOperator
 * (CRDs, namespaces, sample resources) with server-side apply, as `kubectl apply
 * --server-side` would, so one file describes a whole development setup.
 */
import { describeError, WasmOperatorError } from '../errors.ts';
import { KindNotFoundError, objectPath, patchContentTypes, type KubeClient, type RestMapper } from '../kube/index.ts';
import type { Logger } from '../log/index.ts';

/** A document could not be applied; names it and the API server's answer. */
export class ApplyError extends WasmOperatorError {
  constructor(what: string, problem: string, cause?: unknown) {
    super('APPLY_FAILED', `${what}: ${problem}`, { what }, { cause });
  }
}

interface Document {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
}

/**
 * Applies `documents` in order. A kind that is not served yet (a custom resource whose CRD is
 * earlier in the file) is looked up again until `kindWaitMs` passes, since a new CRD takes a
 * moment to be served.
 */
export async function applyDocuments(
  documents: readonly unknown[],
  kube: KubeClient,
  mapper: RestMapper,
  logger: Logger,
  options: { fieldManager?: string; kindWaitMs?: number } = {},
): Promise<void> {
  for (const raw of documents) {
    const doc = raw as Document;
    const { apiVersion, kind } = doc;
    const name = doc.metadata?.name;
    const what = `${String(kind)} "${String(name)}"`;
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') {
      throw new ApplyError(what, 'needs apiVersion, kind and metadata.name');
    }
    const resource = await resolveWithin(mapper, apiVersion, kind, options.kindWaitMs ?? 10_000, what);
    const namespace = resource.namespaced ? (typeof doc.metadata?.namespace === 'string' ? doc.metadata.namespace : 'default') : undefined;
    const path = objectPath(resource, namespace === undefined ? { name } : { namespace, name });
    const response = await kube.request({
      method: 'PATCH',
      path,
      query: { fieldManager: options.fieldManager ?? 'wasm-operator-dev', force: true },
      contentType: patchContentTypes.apply,
      body: namespace === undefined ? raw : { ...doc, metadata: { ...doc.metadata, namespace } },
    });
    if (!response.ok) {
      const message = (response.body as { message?: string } | undefined)?.message ?? response.text;
      throw new ApplyError(what, `the API server answered ${response.status}: ${message}`);
    }
    logger.log('info', 'document.applied', { kind, name, ...(namespace === undefined ? {} : { namespace }) });
  }
}

async function resolveWithin(mapper: RestMapper, apiVersion: string, kind: string, waitMs: number, what: string) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await mapper.resolve(apiVersion, kind);
    } catch (err) {
      if (!(err instanceof KindNotFoundError) || Date.now() >= deadline) {
        throw new ApplyError(what, `${kind} (${apiVersion}) is not served by the API server: ${describeError(err)}`, err);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
