/** POST: create an object in the request's namespace (201 with the stored object). */
import { readObjectBody } from '../http/request-body.ts';
import { checkCrdSchemas, prepareWrittenCrd } from './crd-hooks.ts';
import { addWarnings, responseFormat, sendObject } from './render.ts';
import type { RequestContext } from './request-context.ts';
import { parseWriteOptions } from './write-options.ts';

export async function handleCreate(ctx: RequestContext): Promise<void> {
  const format = responseFormat(ctx, false);
  const opts = parseWriteOptions('CreateOptions', ctx.query, ctx.req.headers['user-agent']);
  const body = await readObjectBody(ctx.req);
  const { core, type } = ctx;
  await checkCrdSchemas(core, type, body);
  const tracked = core.patch.trackWrite(type, undefined, body, opts.manager, 'Create', core.now());
  const result = await core.resources.create(type, ctx.namespace, tracked, opts);
  if (!opts.dryRun) await prepareWrittenCrd(core, type, result.object);
  addWarnings(ctx, result.warnings);
  sendObject(ctx, 201, result.object, format, result.json);
}
