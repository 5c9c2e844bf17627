/**
 * PATCH in the four content types kube accepts (JSON patch, merge patch, strategic merge patch,
 * server-side apply). The engine computes the patched object from the current one; the write
 * then goes through the same checks as a PUT, all without yielding in between.
 */
import { notFound, unsupportedMediaType } from '../http/api-error.ts';
import { contentTypeOf, readBody } from '../http/request-body.ts';
import { checkCrdSchemas, prepareWrittenCrd } from './crd-hooks.ts';
import { applyPatchType } from './patch-engine.ts';
import { addWarnings, responseFormat, sendObject } from './render.ts';
import type { RequestContext } from './request-context.ts';
import { parseWriteOptions } from './write-options.ts';

export async function handlePatch(ctx: RequestContext, name: string, subresource: string | undefined): Promise<void> {
  const format = responseFormat(ctx, false);
  const { core, type, query } = ctx;
  const contentType = contentTypeOf(ctx.req);
  const accepted = core.patch.contentTypes(type);
  if (!accepted.includes(contentType)) {
    ctx.req.resume();
    throw unsupportedMediaType(accepted.join(', '));
  }
  const isApply = contentType === applyPatchType;
  const opts = parseWriteOptions('PatchOptions', query, ctx.req.headers['user-agent'], isApply);
  const { manager, force } = opts;
  const body = await readBody(ctx.req);
  const stored = core.resources.find(type, ctx.namespace, name);
  const current = stored === undefined ? undefined : core.resources.served(type, stored);
  if (current === undefined && (!isApply || subresource !== undefined)) throw notFound(type, name);
  let patched = core.patch.patch({ type, name, subresource, contentType, body, current, fieldManager: manager, force, now: core.now() });
  if (!isApply) patched = core.patch.trackWrite(type, current, patched, manager, 'Update', core.now(), subresource);
  await checkCrdSchemas(core, type, patched, subresource);
  if (current === undefined) {
    const created = await core.resources.create(type, ctx.namespace, patched, opts);
    if (!opts.dryRun) await prepareWrittenCrd(core, type, created.object);
    addWarnings(ctx, created.warnings);
    sendObject(ctx, 201, created.object, format, created.json);
    return;
  }
  const result = await core.resources.update(type, ctx.namespace, name, patched, { ...opts, subresource });
  if (!opts.dryRun) await prepareWrittenCrd(core, type, result.object);
  addWarnings(ctx, result.warnings);
  sendObject(ctx, 200, result.object, format, result.json);
}

