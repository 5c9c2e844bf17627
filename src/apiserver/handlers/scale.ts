/**
 * The `scale` subresource (autoscaling/v1 Scale) of Deployments and of custom resources whose
 * CRD declares one: what `kubectl scale` and autoscalers read and write. A write changes only
 * the replicas of the object behind it, through the same update path as a PUT.
 */
import { badRequest, conflict, invalid, notFound, staleObjectMessage, unsupportedMediaType } from '../http/api-error.ts';
import { contentTypeOf, parseBody, readBody, readObjectBody } from '../http/request-body.ts';
import { sendJson } from '../http/respond.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { metadataOf } from '../objects/object-meta.ts';
import { applyJsonPatch, applyMergePatch, PatchError } from '../patch/index.ts';
import type { ResourceType } from '../registry/resource-type.ts';
import { toApiError } from './kube-patch-engine.ts';
import { jsonPatchType, mergePatchType } from './patch-engine.ts';
import type { RequestContext } from './request-context.ts';
import { parseWriteOptions } from './write-options.ts';

/** Reads `.a.b` of an object. */
function readPath(obj: JsonObject, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = obj;
  for (const part of path.replace(/^\./, '').split('.')) current = isJsonObject(current) ? current[part] : undefined;
  return current;
}

/** A copy of `obj` with `.a.b` set. */
function writePath(obj: JsonObject, path: string, value: JsonValue): JsonObject {
  const [head, ...rest] = path.replace(/^\./, '').split('.');
  if (rest.length === 0) return { ...obj, [head!]: value };
  const child = isJsonObject(obj[head!]) ? (obj[head!] as JsonObject) : {};
  return { ...obj, [head!]: writePath(child, rest.join('.'), value) };
}

// kube prints a label selector as a string: `a=b,c in (d,e)`.
function selectorText(selector: JsonValue | undefined): string {
  if (typeof selector === 'string') return selector;
  if (!isJsonObject(selector)) return '';
  const parts: string[] = [];
  const labels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const key of Object.keys(labels).sort()) parts.push(`${key}=${String(labels[key])}`);
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isJsonObject) : []) {
    const values = Array.isArray(e.values) ? e.values.map(String).sort().join(',') : '';
    switch (e.operator) {
      case 'In': parts.push(`${String(e.key)} in (${values})`); break;
      case 'NotIn': parts.push(`${String(e.key)} notin (${values})`); break;
      case 'Exists': parts.push(String(e.key)); break;
      case 'DoesNotExist': parts.push(`!${String(e.key)}`); break;
    }
  }
  return parts.join(',');
}

function toScale(type: ResourceType, obj: JsonObject): JsonObject {
  const scale = type.scale!;
  const meta = metadataOf(obj);
  const metadata: JsonObject = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (meta[k] !== undefined) metadata[k] = meta[k]!;
  const specReplicas = readPath(obj, scale.specReplicasPath);
  const statusReplicas = readPath(obj, scale.statusReplicasPath);
  const status: JsonObject = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  const selector = scale.labelSelectorPath === undefined ? undefined : selectorText(readPath(obj, scale.labelSelectorPath));
  if (selector !== undefined && selector !== '') status.selector = selector;
  return {
    kind: 'Scale', apiVersion: 'autoscaling/v1', metadata,
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : scale.defaultReplicas }, status,
  };
}

export async function handleScale(ctx: RequestContext, name: string): Promise<void> {
  const { core, type, req } = ctx;
  const stored = core.resources.find(type, ctx.namespace, name);
  if (req.method === 'GET') {
    if (stored === undefined) throw notFound(type, name);
    sendJson(ctx.res, 200, toScale(type, core.resources.served(type, stored)));
    return;
  }
  const opts = parseWriteOptions(req.method === 'PUT' ? 'UpdateOptions' : 'PatchOptions', ctx.query, req.headers['user-agent']);
  const { manager } = opts;
  const wanted = req.method === 'PUT' ? await readObjectBody(req) : await patchedScale(ctx, stored === undefined ? undefined : toScale(type, core.resources.served(type, stored)));
  if (stored === undefined) throw notFound(type, name);
  const current = core.resources.served(type, stored);
  const expectedRv = metadataOf(wanted).resourceVersion;
  if (typeof expectedRv === 'string' && expectedRv !== '' && expectedRv !== metadataOf(current).resourceVersion) throw conflict(type, name, staleObjectMessage);
  const replicas = isJsonObject(wanted.spec) ? wanted.spec.replicas : undefined;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas ?? null, detail: 'must be greater than or equal to 0' }]);
  }
  const next = core.patch.trackWrite(type, current, writePath(current, type.scale!.specReplicasPath, replicas), manager, 'Update', core.now(), 'scale');
  const result = await core.resources.update(type, ctx.namespace, name, next, { ...opts });
  sendJson(ctx.res, 200, toScale(type, result.object));
}

async function patchedScale(ctx: RequestContext, scale: JsonObject | undefined): Promise<JsonObject> {
  const contentType = contentTypeOf(ctx.req);
  if (contentType !== mergePatchType && contentType !== jsonPatchType) {
    ctx.req.resume();
    throw unsupportedMediaType(`${jsonPatchType}, ${mergePatchType}`);
  }
  const patch = parseBody(await readBody(ctx.req), false);
  if (scale === undefined) return {};
  try {
    const result = contentType === mergePatchType ? applyMergePatch(scale, patch) : applyJsonPatch(scale, patch);
    if (!isJsonObject(result)) throw badRequest('the patched Scale is not an object');
    return result;
  } catch (err) {
    if (err instanceof PatchError) throw toApiError(err);
    throw err;
  }
}
