package operator

import (
	"errors"
	"runtime"
	"strconv"
	"syscall"
	_ "unsafe" // for go:linkname
)

// setGCPercent is runtime/debug.SetGCPercent without runtime/debug, which would link os and
// fmt (about 100 KB of code and 300 KB of memory): the runtime provides it under this name.
//
//go:linkname setGCPercent runtime/debug.setGCPercent
func setGCPercent(int32) int32

// abiVersion is the version of docs/abi.md this SDK speaks.
const abiVersion = 1

// Handlers are an operator's entry points. Register them from an init function of package
// main: in a Go reactor (-buildmode=c-shared), package init runs when the host starts the
// module, but main.main never runs.
type Handlers struct {
	// Init runs once, before the first reconcile, with the operator's configuration (the
	// manifest's config overridden by the WasmOperator resource's spec.config). A non-nil
	// error marks the operator Failed. Optional.
	Init func(config Object) error
	// Reconcile makes the world match the object req names. It is level-based: read the
	// object (it may be gone, which means it was deleted) and act; running twice must be harmless.
	Reconcile func(req Request) Result
}

// Request names the object to reconcile. It carries no event and no object: read it from
// the Cache (or the API).
type Request struct {
	Ref
}

var (
	handlers     Handlers
	operatorName string
	config       = Object{}
)

// Register sets the operator's handlers; call it from an init function.
func Register(h Handlers) {
	if h.Reconcile == nil {
		panic("operator.Register: Handlers.Reconcile is required")
	}
	handlers = h
}

// Name is the operator's name as installed (known from Init on).
func Name() string { return operatorName }

// Config is the operator's configuration (from Init on). Treat it as read-only.
func Config() Object { return config }

// ConfigString is config[key] as a string (a number or boolean written out), or def when absent.
func ConfigString(key, def string) string {
	switch v := config[key].(type) {
	case string:
		return v
	case nil:
		return def
	default:
		b, err := MarshalJSON(v)
		if err != nil {
			return def
		}
		return string(b)
	}
}

// ConfigInt is config[key] as an integer (a string of digits is parsed: YAML and CRDs often
// carry numbers as strings), or def when absent or not a whole number.
func ConfigInt(key string, def int64) int64 {
	if s, ok := config[key].(string); ok {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		return def
	}
	if n, ok := toInt(config[key]); ok {
		return n
	}
	return def
}

// Env is a WASI environment variable from the operator's configuration.
func Env(name string) (string, bool) { return syscall.Getenv(name) }

// Abort logs message and ends the current call with a trap: the host discards this instance
// and starts the operator again from its last snapshot. For state that cannot be trusted any
// more; to retry, return Failed instead.
func Abort(message string) {
	Log.Error("abort: " + message)
	host.trap()
}

// A smaller heap target than Go's default (100): an operator's memory is what it costs while
// idle, and wasm memory never shrinks. Measured on the webapp example: after 2,000 reconciles,
// 4.5 MiB instead of 7.5 MiB, at a similar time per reconcile. GOGC in the environment wins.
func init() {
	if _, set := syscall.Getenv("GOGC"); !set {
		setGCPercent(20)
	}
}

func runInit(payload []byte) {
	v, err := ParseJSON(payload)
	init, ok := v.(map[string]any)
	if err != nil || !ok {
		finish(Terminal(errors.New("wo_init: the init payload is not a JSON object")))
		return
	}
	if op, ok := init["operator"].(map[string]any); ok {
		operatorName, _ = op["name"].(string)
	}
	if c, ok := init["config"].(map[string]any); ok {
		config = Object(c)
	}
	if handlers.Reconcile == nil {
		finish(Terminal(errors.New("no handlers: call operator.Register(operator.Handlers{Reconcile: ...}) from an init function of package main")))
		return
	}
	if handlers.Init == nil {
		finish(Done())
		return
	}
	finish(guard("init", func() Result {
		if err := handlers.Init(config); err != nil {
			return Terminal(err)
		}
		return Done()
	}))
}

func runReconcile(payload []byte) {
	v, err := ParseJSON(payload)
	m, ok := v.(map[string]any)
	if err != nil || !ok {
		finish(Failed(errors.New("wo_reconcile: the request is not a JSON object")))
		return
	}
	req := Request{Ref{APIVersion: str(m["apiVersion"]), Kind: str(m["kind"]), Namespace: str(m["namespace"]), Name: str(m["name"])}}
	if handlers.Reconcile == nil {
		finish(Terminal(errors.New("no handlers: call operator.Register from an init function of package main")))
		return
	}
	finish(guard("reconcile", func() Result { return handlers.Reconcile(req) }))
}

// guard turns a panic into a retryable failure, logged with its stack (as controller-runtime
// recovers reconciler panics). Fatal runtime errors still end the call (the host restarts).
func guard(what string, run func() Result) (result Result) {
	defer func() {
		if p := recover(); p != nil {
			message := what + " panicked: " + panicText(p)
			Log.Error(message, "stack", stack())
			result = Failed(errors.New(message))
		}
	}()
	return run()
}

// stack is the panicking goroutine's stack (runtime/debug.Stack would link fmt and os).
func stack() string {
	buf := make([]byte, 16<<10)
	return string(buf[:runtime.Stack(buf, false)])
}

func panicText(p any) string {
	switch x := p.(type) {
	case error:
		return x.Error()
	case string:
		return x
	case interface{ String() string }:
		return x.String()
	}
	return "a value that is not an error or a string"
}

// finish reports the outcome; the host logs failures with the request, so the SDK does not.
func finish(r Result) {
	host.setResult(encodeOrPanic(r.payload()))
}

func str(v any) string {
	s, _ := v.(string)
	return s
}
