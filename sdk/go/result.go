package operator

import "time"

// Result is what a reconcile decided, one of three things: Done (wait for the next change),
// RequeueAfter (run again after a delay) or a failure (Failed retries with backoff, Terminal
// does not). The zero Result is Done.
type Result struct {
	requeue      bool
	requeueAfter time.Duration
	err          error
	terminal     bool
}

// Done: the world matches the object; wait for the next change to something watched.
func Done() Result { return Result{} }

// RequeueAfter: reconcile this request again after d (the host keeps the timer, also while
// the operator sleeps on disk). A negative d means now.
func RequeueAfter(d time.Duration) Result {
	return Result{requeue: true, requeueAfter: max(d, 0)}
}

// Failed: retry with per-request exponential backoff. A nil err is reported as "failed".
func Failed(err error) Result { return Result{err: orUnknown(err)} }

// Terminal: do not retry until the object (or something else watched) changes again.
func Terminal(err error) Result { return Result{err: orUnknown(err), terminal: true} }

// Err is the failure, or nil for Done and RequeueAfter.
func (r Result) Err() error { return r.err }

// Delay is the requeue delay, or 0.
func (r Result) Delay() time.Duration { return r.requeueAfter }

// IsTerminal reports a failure that is not retried.
func (r Result) IsTerminal() bool { return r.terminal }

type failure string

func (f failure) Error() string { return string(f) }

func orUnknown(err error) error {
	if err == nil {
		return failure("failed")
	}
	return err
}

// payload is the result as set_result takes it (docs/abi.md).
func (r Result) payload() map[string]any {
	switch {
	case r.err != nil:
		return map[string]any{"kind": "failed", "message": r.err.Error(), "terminal": r.terminal}
	case r.requeue:
		return map[string]any{"kind": "requeueAfter", "delayMs": r.requeueAfter.Milliseconds()}
	default:
		return map[string]any{"kind": "done"}
	}
}
