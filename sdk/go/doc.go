// Package operator is the Go SDK of wasm-operator: write a Kubernetes operator in plain Go,
// build it with `wasm-operator build` (GOOS=wasip1, -buildmode=c-shared), and it runs in the
// wasm-operator host, asleep on disk while idle.
//
//	package main
//
//	import "wasm-operator.dev/operator"
//
//	func init() { operator.Register(operator.Handlers{Reconcile: reconcile}) }
//
//	func main() {} // never runs in a reactor; init does the registering
//
//	func reconcile(req operator.Request) operator.Result {
//		obj, ok := operator.Cache.Get(req.Ref)
//		if !ok {
//			return operator.Done() // deleted
//		}
//		...
//		return operator.RequeueAfter(time.Minute)
//	}
//
// Every call is synchronous: the host suspends the operator while the API server answers,
// so there are no goroutines to manage. Objects are Object (a map[string]any) with typed
// getters for metadata. The contract with the host is docs/abi.md.
package operator
