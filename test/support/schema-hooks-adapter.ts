/**
 * SchemaSupport behind the server's current SchemaHooks interface, for the scenario runner
 * until the server calls SchemaSupport itself. Only the server's public `hooks` option is
 * used; what the interface cannot express yet (a 400 for Strict unknown fields, the async
 * CRD checks) is listed in the scenarios' `pendingOn`.
 */
import { SchemaSupport, type SchemaHooks } from '../../src/apiserver/index.ts';

export async function schemaHooks(): Promise<SchemaHooks> {
  const support = new SchemaSupport();
  await support.loadCel();
  return {
    admit(request) {
      const decision = support.admit(request);
      switch (decision.kind) {
        case 'allowed': return { allowed: true, object: decision.object, warnings: decision.warnings };
        case 'invalid': return { allowed: false, errors: decision.errors, warnings: decision.warnings };
        case 'badRequest': return { allowed: false, errors: [{ type: 'FieldValueInvalid', field: '<nil>', detail: decision.message }], warnings: decision.warnings };
      }
    },
    onRead: (type, object) => support.onRead(type, object),
    table: (type, objects, now) => {
      const rows = support.table(type, objects, now);
      return { columnDefinitions: rows.columnDefinitions, cells: rows.cells as (string | number | boolean | null)[][] };
    },
  };
}
