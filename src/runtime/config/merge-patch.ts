/**
 * JSON merge patch (RFC 7386), used to lay a WasmOperator's `config` over its module's defaults.
 */

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `patch` applied to `target`: objects merge key by key, `null` removes a key, anything else
 * (arrays included) replaces. Neither argument is modified.
 */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}
