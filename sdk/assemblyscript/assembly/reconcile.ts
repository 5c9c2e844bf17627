/** What `reconcile` receives and returns. */
import { Obj } from "./json-value";
import { cache } from "./cache";

/**
 * The object to reconcile: a key, never an event (reconciling is level-based). Read the
 * object with `get()`; null means it is gone.
 */
export class Request {
  constructor(
    public apiVersion: string,
    public kind: string,
    /** "" for a cluster-scoped object. */
    public namespace: string,
    public name: string,
  ) {}

  /** `namespace/name`, or `name` for a cluster-scoped object: handy in logs. */
  key(): string {
    return this.namespace.length > 0 ? this.namespace + "/" + this.name : this.name;
  }

  /** The object from the host's cache, or null when it no longer exists. */
  get(): Obj | null {
    return cache.get(this.apiVersion, this.kind, this.namespace, this.name);
  }

  static fromJSON(o: Obj): Request {
    return new Request(o.str("apiVersion"), o.str("kind"), o.str("namespace"), o.str("name"));
  }
}

/** Which outcome a `Result` is. */
export enum Outcome { Done, RequeueAfter, Failed }

/**
 * The outcome of one reconcile (or of `init`). It says one thing: done, come back after a
 * delay, or failed (retried with backoff unless terminal).
 */
export class Result {
  private constructor(
    public readonly outcome: Outcome,
    public readonly delayMs: i64,
    public readonly message: string,
    public readonly terminal: bool,
  ) {}

  /** Wait for the next change to something the operator watches. */
  static done(): Result { return new Result(Outcome.Done, 0, "", false); }
  /** Reconcile this request again after `delayMs` (a negative delay means now), even if the operator is suspended by then. */
  static requeueAfter(delayMs: i64): Result { return new Result(Outcome.RequeueAfter, delayMs < 0 ? 0 : delayMs, "", false); }
  /** Failed: retried with exponential backoff, or only on the next change when `terminal`. */
  static fail(message: string, terminal: bool = false): Result { return new Result(Outcome.Failed, 0, message, terminal); }

  toJSON(): Obj {
    const o = new Obj();
    switch (this.outcome) {
      case Outcome.Done: o.setString("kind", "done"); break;
      case Outcome.RequeueAfter: o.setString("kind", "requeueAfter").setI64("delayMs", this.delayMs); break;
      case Outcome.Failed: o.setString("kind", "failed").setString("message", this.message).setBool("terminal", this.terminal); break;
    }
    return o;
  }
}
