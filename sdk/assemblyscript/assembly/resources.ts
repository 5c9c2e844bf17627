/**
 * From (apiVersion, kind) to an API server path. The ABI carries raw paths and the guest
 * has no discovery, so the plural resource name is guessed the way client-go guesses it
 * (`Deployment` -> `deployments`, `Ingress` -> `ingresses`, `NetworkPolicy` ->
 * `networkpolicies`); kinds whose plural differs register it with `registerPlural`.
 */

// A handful of entries at most: `apiVersion/kind=plural` lines in one string cost less code
// than a Map, and a constant initialiser compiles in any file order.
let registered = "";

/** Declares the plural of `kind` in `apiVersion` where the guess is wrong (call it from `init` or top level). */
export function registerPlural(apiVersion: string, kind: string, plural: string): void {
  registered = "\n" + apiVersion + "/" + kind + "=" + plural + registered; // newest first: it wins
}

function registeredPlural(apiVersion: string, kind: string): string | null {
  const key = "\n" + apiVersion + "/" + kind + "=";
  const at = registered.indexOf(key);
  if (at < 0) return null;
  const start = at + key.length;
  const end = registered.indexOf("\n", start);
  return registered.substring(start, end < 0 ? registered.length : end);
}

/** Kinds are ASCII; String#toLowerCase would link Unicode case tables (about 10 KB). */
function asciiLower(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return out;
}

/** The plural resource name of `kind`: a registered one, or the client-go guess. */
export function pluralOf(apiVersion: string, kind: string): string {
  const registeredOne = registeredPlural(apiVersion, kind);
  if (registeredOne != null) return registeredOne;
  const lower = asciiLower(kind);
  if (lower == "endpoints") return lower;
  if (lower.endsWith("s")) return lower + "es";
  if (lower.endsWith("y")) return lower.slice(0, lower.length - 1) + "ies";
  return lower + "s";
}

/**
 * `/api/v1/namespaces/shop/configmaps/web` and the like. `namespace` "" means cluster-scoped
 * (or all namespaces, for a list); `name` "" names the collection; `subresource` is e.g. "status".
 */
export function resourcePath(apiVersion: string, kind: string, namespace: string, name: string, subresource: string = ""): string {
  let path = apiVersion.indexOf("/") < 0 ? "/api/" + apiVersion : "/apis/" + apiVersion;
  if (namespace.length > 0) path += "/namespaces/" + namespace;
  path += "/" + pluralOf(apiVersion, kind);
  if (name.length > 0) path += "/" + name;
  if (subresource.length > 0) path += "/" + subresource;
  return path;
}
