/** PUT: replace an object, or its status (or a namespace's finalizers) through a subresource. */
import { readObjectBody } from '../http/request-body.ts';
import { checkCrdSchemas, prepareWrittenCrd } from './crd-hooks.ts';
import { addWarnings, responseFormat, sendObject } from './render.ts';
import type { RequestContext } from './request-context.ts';
import { parseWriteOptions } from './write-options.ts';

export async function handleUpdate(ctx: RequestContext, name: string, subresource: string | undefined): Promise<void> {
  const format = responseFormat(ctx, false);
  const opts = parseWriteOptions('UpdateOptions', ctx.query, ctx.req.headers['user-agent']);
  const body = await readObjectBody(ctx.req);
  const { core, type } = ctx;
  await checkCrdSchemas(core, type, body, subresource);
  const current = core.resources.find(type, ctx.namespace, name);
  const old = current === undefined ? undefined : core.resources.served(type, current);
  const tracked = core.patch.trackWrite(type, old, body, opts.manager, old === undefined ? 'Create' : 'Update', core.now(), subresource);
  const result = await core.resources.update(type, ctx.namespace, name, tracked, { ...opts, subresource });
  if (!opts.dryRun) await prepareWrittenCrd(core, type, result.object);
  addWarnings(ctx, result.warnings);
  sendObject(ctx, result.created ? 201 : 200, result.object, format, result.json);
}
