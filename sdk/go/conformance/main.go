// The Go SDK's conformance guest (docs/abi.md, "Conformance"): it reconciles ConformanceTest
// resources by running their spec.steps through the SDK's own API and recording one result
// per step in the status.
package main

import (
	"errors"
	"runtime"
	"time"

	"wasm-operator.dev/operator"
)

func init() { operator.Register(operator.Handlers{Reconcile: reconcile}) }

func main() {}

// counter lives in guest memory: 1 after the first counter step of an instance's life.
var counter int64

var patchTypes = map[string]operator.PatchType{
	"merge": operator.MergePatch, "json": operator.JSONPatch, "strategic": operator.StrategicPatch, "apply": operator.ApplyPatch,
}

type step map[string]any

func (s step) str(key string) string {
	v, _ := s[key].(string)
	return v
}

func (s step) ref() operator.Ref {
	return operator.Ref{APIVersion: s.str("apiVersion"), Kind: s.str("kind"), Namespace: s.str("namespace"), Name: s.str("name")}
}

// entry is {status}, plus the Status message when the request failed.
func entry(status int, body any) map[string]any {
	e := map[string]any{"status": status}
	if m, ok := body.(map[string]any); ok && (status < 200 || status > 299) {
		if message, ok := m["message"].(string); ok {
			e["message"] = message
		}
	}
	return e
}

// errorEntry is the entry of a typed SDK call that failed.
func errorEntry(err error) map[string]any {
	var apiErr *operator.APIError
	if errors.As(err, &apiErr) {
		return entry(apiErr.Status, apiErr.Body)
	}
	return map[string]any{"status": -1, "message": err.Error()}
}

// write is a raw request with the operator as field manager (unless the query names one).
func write(r operator.KubeRequest) map[string]any {
	query := map[string]string{"fieldManager": operator.Name()}
	for k, v := range r.Query {
		query[k] = v
	}
	r.Query = query
	resp, err := operator.API.Request(r)
	if err != nil {
		return map[string]any{"status": -1, "message": err.Error()}
	}
	return entry(resp.Status, resp.Body)
}

func reconcile(req operator.Request) operator.Result {
	test, ok := operator.Cache.Get(req.Ref)
	if !ok {
		return operator.Done()
	}
	// steps run once per spec change: the status write below triggers another reconcile
	if observed, ok := test.GetInt("status", "observedGeneration"); ok && observed == test.Generation() {
		return operator.Done()
	}
	results := []any{}
	existing, _ := test.GetSlice("status", "conditions")
	conditions := operator.ConditionsOf(existing)
	outcome := operator.Done()
	steps, _ := test.GetSlice("spec", "steps")

	for _, raw := range steps {
		s, _ := raw.(map[string]any)
		st := step(s)
		switch st.str("op") {
		case "get":
			if found, ok := operator.Cache.Get(st.ref()); ok {
				results = append(results, map[string]any{"found": true, "resourceVersion": found.ResourceVersion()})
			} else {
				results = append(results, map[string]any{"found": false})
			}
		case "list":
			names := []any{}
			for _, o := range operator.Cache.List(operator.ListOptions{APIVersion: st.str("apiVersion"), Kind: st.str("kind"), Namespace: st.str("namespace"), LabelSelector: st.str("labelSelector")}) {
				if o.Namespace() != "" {
					names = append(names, o.Namespace()+"/"+o.Name())
				} else {
					names = append(names, o.Name())
				}
			}
			results = append(results, map[string]any{"names": names})
		case "create":
			obj, _ := st["object"].(map[string]any)
			o := operator.Object(obj)
			results = append(results, write(operator.KubeRequest{Method: "POST", Path: operator.CollectionPath(o.APIVersion(), o.Kind(), o.Namespace()), Body: o}))
		case "update":
			current, err := operator.API.Get(st.ref())
			if err != nil {
				results = append(results, errorEntry(err))
				break
			}
			set, _ := st["set"].(map[string]any)
			for k, v := range set {
				current[k] = v
			}
			results = append(results, write(operator.KubeRequest{Method: "PUT", Path: operator.ObjectPath(st.ref(), ""), Body: current}))
		case "patch":
			ref := st.ref()
			pt := patchTypes[st.str("patchType")]
			body := st["patch"]
			var query map[string]string
			if pt == operator.ApplyPatch {
				// an apply body is a whole (partial) object: it names itself
				p, _ := body.(map[string]any)
				applied := operator.Object(p).DeepCopy()
				applied.Set(ref.APIVersion, "apiVersion")
				applied.Set(ref.Kind, "kind")
				applied.Set(ref.Name, "metadata", "name")
				if ref.Namespace != "" {
					applied.Set(ref.Namespace, "metadata", "namespace")
				}
				body = applied
				query = map[string]string{"fieldManager": "conformance", "force": "true"}
			}
			results = append(results, write(operator.KubeRequest{Method: "PATCH", Path: operator.ObjectPath(ref, ""), Query: query, ContentType: string(pt), Body: body}))
		case "delete":
			resp, err := operator.API.Request(operator.KubeRequest{Method: "DELETE", Path: operator.ObjectPath(st.ref(), "")})
			if err != nil {
				results = append(results, map[string]any{"status": -1, "message": err.Error()})
			} else {
				results = append(results, entry(resp.Status, resp.Body))
			}
		case "ownConfigMap":
			cm := operator.New("v1", "ConfigMap", test.Namespace(), st.str("name"))
			cm["data"] = st["data"]
			if err := operator.SetControllerReference(cm, test); err != nil {
				results = append(results, map[string]any{"status": -1, "message": err.Error()})
				break
			}
			if _, err := operator.API.Create(cm); err != nil {
				results = append(results, errorEntry(err))
			} else {
				results = append(results, map[string]any{"status": 201})
			}
		case "addFinalizer", "removeFinalizer":
			finalizer := st.str("finalizer")
			adding := st.str("op") == "addFinalizer"
			if operator.HasFinalizer(test, finalizer) == adding {
				results = append(results, map[string]any{"status": 0})
				break
			}
			change := operator.RemoveFinalizer
			if adding {
				change = operator.AddFinalizer
			}
			stored, err := change(test, finalizer)
			if err != nil {
				results = append(results, errorEntry(err))
			} else {
				test = stored
				results = append(results, map[string]any{"status": 200})
			}
		case "condition":
			conditions = operator.SetCondition(conditions, operator.Condition{
				Type: st.str("type"), Status: st.str("status"), Reason: st.str("reason"), Message: st.str("message"),
				ObservedGeneration: test.Generation(),
			}, time.Now())
			results = append(results, map[string]any{})
		case "log":
			fields, _ := st["fields"].(map[string]any)
			keyvals := make([]any, 0, 2*len(fields))
			for k, v := range fields {
				keyvals = append(keyvals, k, v)
			}
			log := map[string]func(string, ...any){"debug": operator.Log.Debug, "warn": operator.Log.Warn, "error": operator.Log.Error}[st.str("level")]
			if log == nil {
				log = operator.Log.Info
			}
			log(st.str("message"), keyvals...)
			results = append(results, map[string]any{})
		case "counter":
			counter++
			results = append(results, map[string]any{"value": counter})
		case "config":
			results = append(results, map[string]any{"value": operator.Config()[st.str("key")]})
		case "env":
			if v, ok := operator.Env(st.str("name")); ok {
				results = append(results, map[string]any{"value": v})
			} else {
				results = append(results, map[string]any{"value": nil})
			}
		case "requeueAfter":
			delay, _ := st["delayMs"].(int64)
			outcome = operator.RequeueAfter(time.Duration(delay) * time.Millisecond)
			results = append(results, map[string]any{})
		case "fail":
			err := errors.New(st.str("message"))
			if terminal, _ := st["terminal"].(bool); terminal {
				outcome = operator.Terminal(err)
			} else {
				outcome = operator.Failed(err)
			}
			results = append(results, map[string]any{})
		case "trap":
			operator.Abort("conformance: trap step")
		case "loop":
			for {
				// spins until the host's deadline ends the call
			}
		case "grow":
			n, _ := st["bytes"].(int64)
			grown := make([]byte, n)
			for i := 0; i < len(grown); i += 4096 {
				grown[i] = 1
			}
			runtime.KeepAlive(grown)
			results = append(results, map[string]any{})
		default:
			results = append(results, map[string]any{"error": "unknown step op " + st.str("op")})
		}
	}

	items := make([]any, len(conditions))
	for i, c := range conditions {
		items[i] = c
	}
	status := map[string]any{"observedGeneration": test.Generation(), "results": results, "conditions": items}
	if _, err := operator.API.PatchStatus(req.Ref, operator.MergePatch, map[string]any{"status": status}); err != nil {
		if operator.IsNotFound(err) {
			return operator.Done() // deleted meanwhile: nothing left to report on
		}
		return operator.Failed(err)
	}
	return outcome
}
