/**
 * DELETE of one object and of a collection. DeleteOptions come from the body or the query;
 * the answer is the object (still there, being deleted, or for kinds that return it) or a
 * success Status, as kube-apiserver answers.
 */
import { ApiError, badRequest } from '../http/api-error.ts';
import { invalid, notSupported, type FieldError } from '../field-error.ts';
import { contentTypeOf, parseBody, readBody } from '../http/request-body.ts';
import { sendJson } from '../http/respond.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { metadataOf } from '../objects/object-meta.ts';
import type { DeleteOptions, PropagationPolicy } from '../objects/resource-store.ts';
import { matchesSelectors, parseObjectFilter } from '../selectors/object-filter.ts';
import { responseFormat, sendObject } from './render.ts';
import type { RequestContext } from './request-context.ts';
import { validateListOptions } from './list-options.ts';
import { dryRunErrors, optionsInvalid } from './write-options.ts';

export async function handleDelete(ctx: RequestContext, name: string): Promise<void> {
  const format = responseFormat(ctx, false);
  const opts = await readDeleteOptions(ctx);
  const { core, type } = ctx;
  const { object, deleted } = await core.resources.delete(type, ctx.namespace, name, opts);
  if (!deleted || type.returnDeletedObject) {
    sendObject(ctx, 200, object, format);
    return;
  }
  const details: JsonObject = { name, kind: type.resource, uid: metadataOf(object).uid ?? '' };
  if (type.group !== '') details.group = type.group;
  sendJson(ctx.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

export async function handleDeleteCollection(ctx: RequestContext): Promise<void> {
  const format = responseFormat(ctx, false);
  const opts = await readDeleteOptions(ctx);
  const { core, type } = ctx;
  validateListOptions(ctx.query, false);
  const namespace = type.namespaced && ctx.namespace !== '' ? ctx.namespace : undefined;
  const filter = parseObjectFilter(type, ctx.query, namespace);
  const selected = core.store.list(type.storage, namespace)
    .map((s) => core.resources.served(type, s))
    .filter((obj) => matchesSelectors(type, filter, obj));
  const items: JsonObject[] = [];
  for (const obj of selected) {
    const meta = metadataOf(obj);
    try {
      const { object } = await core.resources.delete(type, String(meta.namespace ?? ''), String(meta.name), opts);
      items.push(object);
    } catch (err) {
      // Deleted meanwhile (by a finalizer going away or the garbage collector): nothing left to do.
      if (!(err instanceof ApiError && err.httpStatus === 404)) throw err;
    }
  }
  const apiVersion = type.group === '' ? type.version : `${type.group}/${type.version}`;
  const list: JsonObject = { kind: type.listKind, apiVersion, metadata: { resourceVersion: String(core.store.rv) }, items };
  if (format.as === 'object' && format.encoding === 'json') sendJson(ctx.res, 200, list);
  else sendObject(ctx, 200, list, format);
}

async function readDeleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  let fromBody: JsonObject = {};
  if (body.length > 0) {
    const parsed = parseBody(body, contentTypeOf(ctx.req) === 'application/yaml');
    if (parsed !== null && !isJsonObject(parsed)) throw badRequest('DeleteOptions must be a JSON object');
    fromBody = parsed ?? {};
  }
  const q = ctx.query;
  const dryRunValues = Array.isArray(fromBody.dryRun) ? fromBody.dryRun.map(String) : q.getAll('dryRun');
  const opts: DeleteOptions = { dryRun: dryRunValues.length > 0 };
  // kube's ValidateDeleteOptions, all problems in one 422.
  const errors: FieldError[] = [];
  const policy = typeof fromBody.propagationPolicy === 'string' ? fromBody.propagationPolicy : q.get('propagationPolicy');
  const orphan = typeof fromBody.orphanDependents === 'boolean' ? fromBody.orphanDependents : q.get('orphanDependents');
  if (orphan !== null) opts.orphanDependents = orphan === true || orphan === 'true';
  if (policy !== null && policy !== '') {
    if (opts.orphanDependents !== undefined) errors.push(invalid('propagationPolicy', policy, 'orphanDependents and deletionPropagation cannot be both set'));
    if (policy === 'Orphan' || policy === 'Background' || policy === 'Foreground') opts.propagationPolicy = policy as PropagationPolicy;
    else errors.push(notSupported('propagationPolicy', policy, ['Foreground', 'Background', 'Orphan', 'nil']));
  }
  errors.push(...dryRunErrors(dryRunValues));
  if (errors.length > 0) throw optionsInvalid('DeleteOptions', errors);
  if (isJsonObject(fromBody.preconditions)) {
    const pre = fromBody.preconditions;
    opts.preconditions = {};
    if (typeof pre.uid === 'string') opts.preconditions.uid = pre.uid;
    if (typeof pre.resourceVersion === 'string') opts.preconditions.resourceVersion = pre.resourceVersion;
  }
  return opts;
}
