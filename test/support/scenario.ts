/**
 * The differential scenario format (test/apiserver-scenarios/README.md): parsing with clear
 * errors, output normalisation, and the pattern matching that compares what the embedded
 * server answers with what kube-apiserver is documented to answer. Pure: the runner does I/O.
 */
import { parse } from 'yaml';
import { WasmOperatorError } from '../../src/errors.ts';

/** An HTTP request step and what must come back. */
export interface HttpStep {
  http: {
    method: string;
    path: string;
    query?: Record<string, string>;
    headers?: Record<string, string>;
    /** A JSON body (objects are sent as JSON; strings are sent as they are). */
    body?: unknown;
    /** Repeat the request until it matches or this time has passed (e.g. a CRD being established). */
    retryForMs?: number;
  };
  expect: { status: number; body?: unknown; headers?: Record<string, string | string[]> };
}

/** A kubectl run (the runner adds --kubeconfig) and what it must print. */
export interface KubectlStep {
  kubectl: string[];
  stdin?: string;
  expect: { exitCode?: number; stdout?: string; stderr?: string };
}

export type Step = HttpStep | KubectlStep;

export interface Scenario {
  name: string;
  /** Where the expected outputs come from (Kubernetes docs, API conventions, kube sources). */
  source: string;
  /** Minimum kubectl minor version the kubectl steps need, e.g. 27 for Strict field validation. */
  kubectlMinor?: number;
  steps: Step[];
}

/** A scenario file that does not follow the format; the message names the file and the step. */
export class ScenarioFormatError extends WasmOperatorError {
  constructor(file: string, problem: string) {
    super('SCENARIO_FORMAT', `${file}: ${problem}`, { file });
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses and checks one scenario file's text. */
export function parseScenario(file: string, text: string): Scenario {
  const doc: unknown = parse(text);
  const fail = (problem: string): never => {
    throw new ScenarioFormatError(file, problem);
  };
  if (!isRecord(doc)) return fail('a scenario is a YAML mapping');
  if (typeof doc.name !== 'string' || doc.name === '') fail('name: a sentence saying what the scenario shows');
  if (typeof doc.source !== 'string' || doc.source === '') fail('source: where the expected outputs come from');
  if (!Array.isArray(doc.steps) || doc.steps.length === 0) fail('steps: at least one step');
  (doc.steps as unknown[]).forEach((step, i) => {
    if (!isRecord(step)) return fail(`steps[${i}]: a mapping`);
    if (!isRecord(step.expect)) return fail(`steps[${i}].expect: what must come back`);
    if (isRecord(step.http)) {
      if (typeof step.http.method !== 'string' || typeof step.http.path !== 'string') fail(`steps[${i}].http: method and path`);
      if (typeof step.expect.status !== 'number') fail(`steps[${i}].expect.status: the HTTP status code`);
    } else if (Array.isArray(step.kubectl)) {
      if (!step.kubectl.every((a) => typeof a === 'string')) fail(`steps[${i}].kubectl: a list of arguments`);
    } else {
      fail(`steps[${i}]: either http or kubectl`);
    }
    return undefined;
  });
  return doc as unknown as Scenario;
}

const placeholders: Record<string, RegExp> = {
  '<any>': /^[\s\S]*$/,
  '<uid>': /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  '<timestamp>': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/,
  '<rv>': /^\d+$/,
  '<age>': /^\d+[smhdy](\d+[smhd])?$/,
};

/**
 * Where `actual` differs from the `expected` pattern, or undefined when it matches.
 * Objects match when every expected key matches (extra keys are fine: kube adds fields
 * over time, unless the pattern has `<exact>: true`, as pruning checks need); arrays match element by element and must have the same length; strings may
 * be placeholders (`<any>`, `<uid>`, `<timestamp>`, `<rv>`, `<age>`).
 */
export function mismatch(expected: unknown, actual: unknown, path = '$'): string | undefined {
  if (typeof expected === 'string' && expected in placeholders) {
    if (expected === '<any>' || (typeof actual === 'string' && placeholders[expected]!.test(actual))) return undefined;
    return `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  if (isRecord(expected)) {
    if (!isRecord(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    if (expected['<exact>'] === true) {
      const extra = Object.keys(actual).filter((k) => !(k in expected));
      if (extra.length > 0) return `${path}: unexpected ${extra.map((k) => JSON.stringify(k)).join(', ')}`;
    }
    for (const [k, v] of Object.entries(expected)) {
      if (k === '<exact>') continue;
      const m = mismatch(v, actual[k], `${path}.${k}`);
      if (m !== undefined) return m;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

/**
 * kubectl output with what legitimately differs between clusters replaced: ages become
 * `<age>`, times `<timestamp>`, uids `<uid>`, IPv4 addresses `<ip>`, YAML resourceVersions `"<rv>"`; runs of spaces become
 * one (column widths follow the values); trailing spaces and the final newline go.
 */
export function normaliseText(text: string): string {
  return text
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\b/g, '<timestamp>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uid>')
    .replace(/\b\d{1,3}(\.\d{1,3}){3}\b/g, '<ip>')
    .replace(/\bresourceVersion: "\d+"/g, 'resourceVersion: "<rv>"')
    .replace(/(?<=\s|^)\d+[smhdy](\d+[smhd])?(?=\s|$)/gm, '<age>')
    .split('\n').map((l) => l.replace(/[ \t]+/g, ' ').trimEnd()).join('\n')
    .trimEnd();
}

/** The URL of an HTTP step, query included. */
export function stepUrl(base: string, step: HttpStep): string {
  const url = new URL(step.http.path, base);
  for (const [k, v] of Object.entries(step.http.query ?? {})) url.searchParams.set(k, v);
  return url.toString();
}
