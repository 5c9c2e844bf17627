/**
 * Prometheus metrics in the text exposition format (0.0.4): counters, gauges and histograms
 * with labels, in a registry of their own.
 *
 * Written here rather than taken from prom-client because of what prom-client costs the host:
 * importing it (with OpenTelemetry's API and `https` for its push gateway, which it loads
 * whether used or not) took about 10 MB of RSS, more than a hundred suspended operators cost.
 * The classes keep prom-client's shapes (`new Counter({ name, help, labelNames, registers })`,
 * `inc`, `set`, `observe`, `reset`, a gauge's `collect`, `registry.metrics()`), so code and
 * readers that know prom-client read this the same way.
 */

export type Labels = Readonly<Record<string, string | number>>;

interface MetricOptions<M> {
  name: string;
  help: string;
  labelNames?: readonly string[];
  /** Registries to add the metric to. */
  registers?: readonly Registry[];
  /** Runs before each rendering, to set the metric from the state it reports. */
  collect?: (this: M) => void | Promise<void>;
}

/** What every metric gives its registry. */
export interface Metric {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  /** The metric's sample lines, after its `collect` hook (if any) ran. */
  lines(): Promise<string[]>;
}

/** A set of metrics rendered together; two registries never share a value. */
export class Registry {
  readonly contentType = 'text/plain; version=0.0.4; charset=utf-8';
  readonly #metrics = new Map<string, Metric>();

  registerMetric(metric: Metric): void {
    if (this.#metrics.has(metric.name)) throw new Error(`a metric named ${metric.name} is already registered`);
    this.#metrics.set(metric.name, metric);
  }

  getMetricsAsArray(): Metric[] {
    return [...this.#metrics.values()];
  }

  /** The exposition text of every metric, in registration order. */
  async metrics(): Promise<string> {
    const out: string[] = [];
    for (const metric of this.#metrics.values()) {
      out.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`, ...(await metric.lines()));
    }
    return `${out.join('\n')}\n`;
  }
}

/** Shared by the three kinds: label checking, the collect hook, and one value (or histogram state) per label set. */
abstract class LabelledMetric<V> implements Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  abstract readonly type: Metric['type'];
  protected readonly values = new Map<string, { labels: Labels; value: V }>();
  readonly #collect: (() => void | Promise<void>) | undefined;

  constructor(options: MetricOptions<never>) {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(options.name)) throw new Error(`"${options.name}" is not a valid metric name`);
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames ?? [];
    this.#collect = options.collect?.bind(this as never);
    for (const registry of options.registers ?? []) registry.registerMetric(this);
  }

  /** Forgets every label set (a gauge refilled at each scrape drops operators that are gone). */
  reset(): void {
    this.values.clear();
  }

  async lines(): Promise<string[]> {
    await this.#collect?.();
    return this.render();
  }

  protected abstract render(): string[];

  protected entry(labels: Labels, initial: () => V): { labels: Labels; value: V } {
    for (const key of Object.keys(labels)) {
      if (!this.labelNames.includes(key)) throw new Error(`metric ${this.name} has no label "${key}"`);
    }
    const key = this.labelNames.map((n) => String(labels[n] ?? '')).join('\u0000');
    let entry = this.values.get(key);
    if (entry === undefined) this.values.set(key, (entry = { labels, value: initial() }));
    return entry;
  }
}

export class Counter extends LabelledMetric<number> {
  readonly type = 'counter';

  constructor(options: MetricOptions<Counter>) {
    super(options as MetricOptions<never>);
    if (this.labelNames.length === 0) this.entry({}, () => 0);
  }

  /** Adds `value` (default 1; never negative) to the count of `labels`. */
  inc(labels: Labels | number = {}, value = 1): void {
    const [l, v] = typeof labels === 'number' ? [{}, labels] : [labels, value];
    if (!(v >= 0)) throw new Error(`counter ${this.name} can only go up, got ${v}`);
    this.entry(l, () => 0).value += v;
  }

  protected render(): string[] {
    return [...this.values.values()].map((e) => sample(this.name, e.labels, e.value));
  }
}

export class Gauge extends LabelledMetric<number> {
  readonly type = 'gauge';

  constructor(options: MetricOptions<Gauge>) {
    super(options as MetricOptions<never>);
  }

  set(labels: Labels | number, value?: number): void {
    const [l, v] = typeof labels === 'number' ? [{}, labels] : [labels, value ?? 0];
    this.entry(l, () => 0).value = v;
  }

  protected render(): string[] {
    return [...this.values.values()].map((e) => sample(this.name, e.labels, e.value));
  }
}

export class Histogram extends LabelledMetric<{ counts: number[]; sum: number; count: number }> {
  readonly type = 'histogram';
  readonly #buckets: readonly number[];

  constructor(options: MetricOptions<Histogram> & { buckets: readonly number[] }) {
    super(options as MetricOptions<never>);
    this.#buckets = [...options.buckets].sort((a, b) => a - b);
  }

  observe(labels: Labels | number, value?: number): void {
    const [l, v] = typeof labels === 'number' ? [{}, labels] : [labels, value ?? 0];
    const state = this.entry(l, () => ({ counts: this.#buckets.map(() => 0), sum: 0, count: 0 })).value;
    const index = this.#buckets.findIndex((upper) => v <= upper);
    if (index >= 0) state.counts[index]!++;
    state.sum += v;
    state.count++;
  }

  protected render(): string[] {
    const out: string[] = [];
    for (const { labels, value } of this.values.values()) {
      let cumulative = 0;
      this.#buckets.forEach((upper, i) => {
        cumulative += value.counts[i]!;
        out.push(sample(`${this.name}_bucket`, { ...labels, le: formatValue(upper) }, cumulative));
      });
      out.push(sample(`${this.name}_bucket`, { ...labels, le: '+Inf' }, value.count));
      out.push(sample(`${this.name}_sum`, labels, value.sum), sample(`${this.name}_count`, labels, value.count));
    }
    return out;
  }
}

function sample(name: string, labels: Labels, value: number): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(String(v))}"`);
  return `${name}${pairs.length === 0 ? '' : `{${pairs.join(',')}}`} ${formatValue(value)}`;
}

function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
