/** GET of one object (or of its status subresource, which reads the same object). */
import { parseResourceVersion, waitForResourceVersion } from './resource-version.ts';
import { responseFormat, sendObject } from './render.ts';
import type { RequestContext } from './request-context.ts';

export async function handleGet(ctx: RequestContext, name: string): Promise<void> {
  const format = responseFormat(ctx, true);
  const rv = parseResourceVersion(ctx.query.get('resourceVersion'));
  if (rv !== undefined && rv > 0) await waitForResourceVersion(ctx.core.store, rv);
  sendObject(ctx, 200, ctx.core.resources.get(ctx.type, ctx.namespace, name), format);
}
