/**
 * Kubernetes' name syntaxes with apimachinery's exact messages (k8s.io/apimachinery
 * pkg/util/validation). Each check returns the messages for one value: empty means valid.
 * The double space before "or" in the examples is kube's own wording.
 */

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configKeyFmt = '[-._a-zA-Z0-9]+';

const dns1123Label = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123Subdomain = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035Label = new RegExp(`^${dns1035LabelFmt}$`);
const qualifiedName = new RegExp(`^${qualifiedNameFmt}$`);
const labelValue = new RegExp(`^${labelValueFmt}$`);
const configKey = new RegExp(`^${configKeyFmt}$`);

/** Longest DNS-1123 label, DNS-1035 label, qualified-name part and label value. */
export const labelMaxLength = 63;
/** Longest DNS-1123 subdomain, hence longest name of most kinds. */
export const subdomainMaxLength = 253;

function examples(...values: string[]): string {
  return values.map((v) => `'${v}'`).join(',  or ');
}

function regexError(msg: string, fmt: string, ...example: string[]): string {
  return `${msg} (e.g. ${examples(...example)}, regex used for validation is '${fmt}')`;
}

function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

// A length limit and a pattern, each with its own message: the shape of kube's name checks.
// The pattern's message is built only for a value that fails (every write checks many names).
function lengthAndPattern(value: string, maxLength: number, pattern: RegExp, patternMessage: () => string): string[] {
  const errs: string[] = [];
  if (value.length > maxLength) errs.push(maxLenError(maxLength));
  if (!pattern.test(value)) errs.push(patternMessage());
  return errs;
}

/** RFC 1123 label: namespaces, container names, port names. */
export function isDNS1123Label(value: string): string[] {
  return lengthAndPattern(value, labelMaxLength, dns1123Label, () => regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, 'my-name', '123-abc'));
}

/** RFC 1123 subdomain: the names of most kinds. */
export function isDNS1123Subdomain(value: string): string[] {
  return lengthAndPattern(value, subdomainMaxLength, dns1123Subdomain, () => regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, 'example.com'));
}

/** RFC 1035 label: Service names, CRD version names. */
export function isDNS1035Label(value: string): string[] {
  return lengthAndPattern(value, labelMaxLength, dns1035Label, () => regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFmt, 'my-name', 'abc-123'));
}

/** Label and annotation keys: an optional DNS subdomain prefix, `/`, and a name. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${msg}`);
  } else {
    return [`${regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > labelMaxLength) errs.push(`name part ${maxLenError(labelMaxLength)}`);
  if (!qualifiedName.test(name)) {
    errs.push(`name part ${regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** Label values: empty, or a qualified-name-like string of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  return lengthAndPattern(value, labelMaxLength, labelValue, () => regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFmt, 'MyValue', 'my_value', '12345'));
}

/** ConfigMap and Secret keys. */
export function isConfigMapKey(value: string): string[] {
  const errs = lengthAndPattern(value, subdomainMaxLength, configKey, () => regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** How a kind's names are checked; `prefix` is true for a generateName (a trailing `-` is fine). */
export type NameValidator = (name: string, prefix: boolean) => string[];

function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

/** Names that must be DNS-1123 subdomains (pods, configmaps, secrets, deployments, CRs, ...). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** Names that must be DNS-1123 labels (namespaces). */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** Names that must be DNS-1035 labels (services). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
