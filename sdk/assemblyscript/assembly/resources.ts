/**
 * From (apiVersion, kind) to an API server path. The ABI carries raw paths and the guest
 * has no discovery, so the plural resource name is guessed the way client-go guesses it
 * (`Deployment` -> `deployments`, `Ingress` -> `ingresses`, `NetworkPolicy` ->
 * `networkpolicies`); kinds whose plural differs register it with `registerPlural`.
 */

// A handful of entries at most: parallel arrays cost less code than a Map.
const registeredKeys = new Array<string>();
const registeredPlurals = new Array<string>();

/** Declares the plural of `kind` in `apiVersion` where the guess is wrong (call it from `init` or top level). */
export function registerPlural(apiVersion: string, kind: string, plural: string): void {
  const key = apiVersion + "/" + kind;
  const i = registeredKeys.indexOf(key);
  if (i >= 0) registeredPlurals[i] = plural;
  else { registeredKeys.push(key); registeredPlurals.push(plural); }
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
  const i = registeredKeys.indexOf(apiVersion + "/" + kind);
  if (i >= 0) return registeredPlurals[i];
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
