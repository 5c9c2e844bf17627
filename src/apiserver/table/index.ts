/**
 * Server-side printing: the `meta.k8s.io/v1` Table kube-apiserver returns when a client
 * (kubectl get) asks for `application/json;as=Table;v=v1;g=meta.k8s.io`.
 */
export type { TableColumnDefinition, TablePrinter, TableRowCondition } from './table-printer.ts';
export { builtinPrinter, formatLabels, formatSelector } from './builtin-printers.ts';
export { customResourcePrinter, defaultPrinter, type PrinterColumn } from './custom-resource-printer.ts';
export { evaluateJsonPath, compileJsonPath, JsonPathError } from './jsonpath.ts';
export { humanDuration, ageOf } from './human-duration.ts';
