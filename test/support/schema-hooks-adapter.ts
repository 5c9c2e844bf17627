/**
 * The schema hooks the scenario runner gives the server: SchemaSupport itself. Until the
 * server calls `prepareCrd` when CRDs are written, the CEL library is loaded up front so
 * that `admit` can compile rules on first use.
 */
import { SchemaSupport, type SchemaHooks } from '../../src/apiserver/index.ts';

export async function schemaHooks(): Promise<SchemaHooks> {
  const support = new SchemaSupport();
  await support.loadCel();
  return support;
}
