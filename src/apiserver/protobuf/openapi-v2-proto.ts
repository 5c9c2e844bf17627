/**
 * A Swagger 2.0 document (as JSON) in gnostic's `openapi.v2.Document` protobuf, the form
 * kube-apiserver serves `/openapi/v2` in to clients that ask for
 * `application/com.github.proto-openapi.spec.v2@v1.0+protobuf` (kubectl up to 1.28 asks for
 * nothing else). Covers what the server's own documents hold: paths with their operations,
 * query, path and body parameters, responses, and schemas; values that gnostic keeps as `Any`
 * (vendor extensions, defaults, enums, examples) are written as YAML text, which JSON is.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';

type Writer = BinaryWriter;

function str(w: Writer, field: number, v: JsonValue | undefined): void {
  if (typeof v === 'string' && v !== '') w.tag(field, WireType.LengthDelimited).string(v);
}
function strs(w: Writer, field: number, v: JsonValue | undefined): void {
  if (Array.isArray(v)) for (const s of v) if (typeof s === 'string') w.tag(field, WireType.LengthDelimited).string(s);
}
function bool(w: Writer, field: number, v: JsonValue | undefined): void {
  if (v === true) w.tag(field, WireType.Varint).bool(true);
}
function double(w: Writer, field: number, v: JsonValue | undefined): void {
  if (typeof v === 'number') w.tag(field, WireType.Bit64).double(v);
}
function int64(w: Writer, field: number, v: JsonValue | undefined): void {
  if (typeof v === 'number' && Number.isInteger(v)) w.tag(field, WireType.Varint).int64(v);
}
function message(w: Writer, field: number, write: (w: Writer) => void): void {
  w.tag(field, WireType.LengthDelimited).fork();
  write(w);
  w.join();
}

// gnostic's Any { google.protobuf.Any value = 1; string yaml = 2; }
function any(w: Writer, field: number, v: JsonValue): void {
  message(w, field, (m) => m.tag(2, WireType.LengthDelimited).string(JSON.stringify(v)));
}

// NamedAny entries for every `x-` key of a JSON object.
function vendorExtensions(w: Writer, field: number, o: JsonObject): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('x-')) message(w, field, (m) => { str(m, 1, k); any(m, 2, v); });
  }
}

function schema(w: Writer, s: JsonObject): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) any(w, 5, s.default);
  double(w, 6, s.multipleOf);
  double(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  double(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int64(w, 11, s.maxLength);
  int64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int64(w, 14, s.maxItems);
  int64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int64(w, 17, s.maxProperties);
  int64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  const additional = s.additionalProperties;
  if (isJsonObject(additional)) message(w, 21, (m) => message(m, 1, (n) => schema(n, additional)));
  else if (typeof additional === 'boolean') message(w, 21, (m) => m.tag(2, WireType.Varint).bool(additional));
  if (typeof s.type === 'string') message(w, 22, (m) => str(m, 1, s.type));
  const items = s.items;
  if (isJsonObject(items)) message(w, 23, (m) => message(m, 1, (n) => schema(n, items)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) if (isJsonObject(a)) message(w, 24, (m) => schema(m, a));
  if (isJsonObject(s.properties)) message(w, 25, (m) => namedSchemas(m, s.properties as JsonObject));
  bool(w, 27, s.readOnly);
  if (s.example !== undefined) any(w, 30, s.example);
  vendorExtensions(w, 31, s);
}

// NamedSchema entries (Properties and Definitions both hold them in field 1).
function namedSchemas(w: Writer, named: JsonObject): void {
  for (const [name, value] of Object.entries(named)) {
    if (isJsonObject(value)) message(w, 1, (m) => { str(m, 1, name); message(m, 2, (n) => schema(n, value)); });
  }
}

function parameter(w: Writer, p: JsonObject): void {
  if (typeof p.$ref === 'string') {
    message(w, 2, (m) => str(m, 1, p.$ref)); // ParametersItem.json_reference
    return;
  }
  message(w, 1, (param) => {
    if (p.in === 'body') {
      message(param, 1, (b) => {
        str(b, 1, p.description); str(b, 2, p.name); str(b, 3, p.in); bool(b, 4, p.required);
        if (isJsonObject(p.schema)) message(b, 5, (s) => schema(s, p.schema as JsonObject));
        vendorExtensions(b, 6, p);
      });
      return;
    }
    // NonBodyParameter: query_parameter_sub_schema = 3, path_parameter_sub_schema = 4.
    message(param, 2, (nb) => message(nb, p.in === 'path' ? 4 : 3, (q) => {
      const query = p.in !== 'path';
      bool(q, 1, p.required); str(q, 2, p.in); str(q, 3, p.description); str(q, 4, p.name);
      if (query) {
        str(q, 6, p.type); str(q, 7, p.format); bool(q, 20, p.uniqueItems); vendorExtensions(q, 23, p);
      } else {
        str(q, 5, p.type); str(q, 6, p.format); bool(q, 19, p.uniqueItems); vendorExtensions(q, 22, p);
      }
    }));
  });
}

function operation(w: Writer, op: JsonObject): void {
  strs(w, 1, op.tags);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  if (Array.isArray(op.parameters)) for (const p of op.parameters) if (isJsonObject(p)) message(w, 8, (m) => parameter(m, p));
  const responses = isJsonObject(op.responses) ? op.responses : {};
  message(w, 9, (rs) => {
    for (const [code, r] of Object.entries(responses)) {
      if (!isJsonObject(r)) continue;
      message(rs, 1, (named) => {
        str(named, 1, code);
        message(named, 2, (value) => message(value, 1, (resp) => {
          str(resp, 1, r.description);
          if (isJsonObject(r.schema)) message(resp, 2, (item) => message(item, 1, (s) => schema(s, r.schema as JsonObject)));
        }));
      });
    }
  });
  strs(w, 10, op.schemes);
  vendorExtensions(w, 13, op);
}

const methodFields: Readonly<Record<string, number>> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(w: Writer, item: JsonObject): void {
  for (const [method, field] of Object.entries(methodFields)) {
    const op = item[method];
    if (isJsonObject(op)) message(w, field, (m) => operation(m, op));
  }
  if (Array.isArray(item.parameters)) for (const p of item.parameters) if (isJsonObject(p)) message(w, 9, (m) => parameter(m, p));
  vendorExtensions(w, 10, item);
}

/** The document's protobuf encoding. */
export function encodeOpenApiV2(doc: JsonObject): Uint8Array {
  const w = new BinaryWriter();
  str(w, 1, doc.swagger);
  if (isJsonObject(doc.info)) {
    const info = doc.info;
    message(w, 2, (m) => { str(m, 1, info.title); str(m, 2, info.version); str(m, 3, info.description); });
  }
  const paths = isJsonObject(doc.paths) ? doc.paths : {};
  message(w, 8, (m) => {
    for (const [path, item] of Object.entries(paths)) {
      if (isJsonObject(item)) message(m, 2, (named) => { str(named, 1, path); message(named, 2, (p) => pathItem(p, item)); });
    }
  });
  if (isJsonObject(doc.definitions)) message(w, 9, (m) => namedSchemas(m, doc.definitions as JsonObject));
  vendorExtensions(w, 16, doc);
  return w.finish();
}
