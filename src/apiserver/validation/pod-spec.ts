import { childPath, duplicate, forbidden, indexPath, invalid, notSupported, required, type FieldError } from '../field-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../json.ts';
import { cloneJson } from '../json-members.ts';
import { isDNS1123Label } from './names.ts';

const protocols = ['SCTP', 'TCP', 'UDP'];

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

/** kube's IsValidPortNum message for a port outside 1..65535. */
export function portNumberErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** kube's IsValidPortName (IANA service names): the messages for one port name. */
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name)) errs.push('must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

function validateContainers(containers: JsonValue | undefined, path: string, names: Set<string>, errors: FieldError[]): void {
  if (!Array.isArray(containers)) return;
  containers.forEach((raw, i) => {
    const c: JsonObject = isJsonObject(raw) ? raw : {};
    const at = indexPath(path, i);
    const name = str(c.name);
    if (name === '') errors.push(required(childPath(at, 'name'), ''));
    else {
      for (const msg of isDNS1123Label(name)) errors.push(invalid(childPath(at, 'name'), name, msg));
      if (names.has(name)) errors.push(duplicate(childPath(at, 'name'), name));
      names.add(name);
    }
    if (str(c.image) === '') errors.push(required(childPath(at, 'image'), ''));
    const portNames = new Set<string>();
    (Array.isArray(c.ports) ? c.ports : []).forEach((rawPort, j) => {
      const p: JsonObject = isJsonObject(rawPort) ? rawPort : {};
      const pAt = indexPath(childPath(at, 'ports'), j);
      const portName = str(p.name);
      if (portName !== '') {
        for (const msg of portNameErrors(portName)) errors.push(invalid(childPath(pAt, 'name'), portName, msg));
        if (portNames.has(portName)) errors.push(duplicate(childPath(pAt, 'name'), portName));
        portNames.add(portName);
      }
      if (p.containerPort === undefined || p.containerPort === 0) errors.push(required(childPath(pAt, 'containerPort'), ''));
      else for (const msg of portNumberErrors(Number(p.containerPort))) errors.push(invalid(childPath(pAt, 'containerPort'), p.containerPort, msg));
      if (p.protocol !== undefined && !protocols.includes(str(p.protocol))) errors.push(notSupported(childPath(pAt, 'protocol'), p.protocol, protocols));
    });
  });
}

/**
 * A PodSpec's checks that kubectl users meet (ValidatePodSpec): at least one container;
 * container names present, DNS labels and unique across containers and initContainers;
 * images present; container ports and protocols; the restart policy (`allowedRestartPolicies`
 * narrows it, e.g. to `Always` in a Deployment's template).
 */
export function validatePodSpec(spec: JsonValue | undefined, path: string, allowedRestartPolicies = ['Always', 'OnFailure', 'Never']): FieldError[] {
  const s: JsonObject = isJsonObject(spec) ? spec : {};
  const errors: FieldError[] = [];
  const names = new Set<string>();
  if (!Array.isArray(s.containers) || s.containers.length === 0) errors.push(required(childPath(path, 'containers'), ''));
  validateContainers(s.initContainers, childPath(path, 'initContainers'), names, errors);
  validateContainers(s.containers, childPath(path, 'containers'), names, errors);
  if (s.restartPolicy !== undefined && !allowedRestartPolicies.includes(str(s.restartPolicy))) {
    errors.push(notSupported(childPath(path, 'restartPolicy'), s.restartPolicy, allowedRestartPolicies));
  }
  return errors;
}

const podUpdateMessage = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * A pod's spec is immutable except images, activeDeadlineSeconds, added tolerations and
 * terminationGracePeriodSeconds. kube appends a Go diff of the specs to this message; we
 * do not (listed in docs/apiserver.md).
 */
export function validatePodSpecUpdate(spec: JsonValue | undefined, oldSpec: JsonValue | undefined): FieldError[] {
  const mask = (v: JsonValue | undefined): string => {
    const s: JsonObject = isJsonObject(v) ? cloneJson(v) : {};
    for (const list of ['containers', 'initContainers']) {
      if (Array.isArray(s[list])) s[list] = s[list].map((c) => (isJsonObject(c) ? { ...c, image: '' } : c));
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return JSON.stringify(s, Object.keys(flatKeys(s)).sort());
  };
  return mask(spec) === mask(oldSpec) ? [] : [forbidden('spec', podUpdateMessage)];
}

// All keys at any depth, so JSON.stringify's key filter keeps nested fields in sorted order.
function flatKeys(v: JsonValue, out: Record<string, true> = {}): Record<string, true> {
  if (Array.isArray(v)) v.forEach((x) => flatKeys(x, out));
  else if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) { out[k] = true; flatKeys(x, out); }
  return out;
}
