package operator

import (
	"errors"
	"reflect"
	"testing"
)

// fakeHost answers the ABI's imports from the test's handlers, as the real host would.
type fakeHost struct {
	kube     func(req map[string]any) (int, any)
	cached   map[string]any
	pending  []byte
	requests []map[string]any
	results  []map[string]any
	logs     []map[string]any
}

func (f *fakeHost) answer(v any) int32 {
	f.pending = encodeOrPanic(v)
	return int32(len(f.pending))
}

func (f *fakeHost) decode(p []byte) map[string]any {
	v, err := ParseJSON(p)
	if err != nil {
		panic(err)
	}
	return v.(map[string]any)
}

func (f *fakeHost) kubeRequest(p []byte) int32 {
	req := f.decode(p)
	f.requests = append(f.requests, req)
	status, body := f.kube(req)
	return f.answer(map[string]any{"status": status, "body": body})
}
func (f *fakeHost) cacheGet(p []byte) int32 { return f.answer(f.cached[f.decode(p)["name"].(string)]) }
func (f *fakeHost) cacheList(p []byte) int32 {
	items := []any{}
	for _, v := range f.cached {
		items = append(items, v)
	}
	return f.answer(map[string]any{"items": items})
}
func (f *fakeHost) responseRead(b []byte) int32 {
	if len(b) != len(f.pending) {
		return -1
	}
	copy(b, f.pending)
	return int32(len(b))
}
func (f *fakeHost) setResult(p []byte) { f.results = append(f.results, f.decode(p)) }
func (f *fakeHost) log(p []byte)       { f.logs = append(f.logs, f.decode(p)) }
func (f *fakeHost) trap()              { panic("trap") }

func useFake(t *testing.T, f *fakeHost) *fakeHost {
	previous := host
	host = f
	t.Cleanup(func() { host = previous })
	return f
}

func status(code int, reason string) map[string]any {
	return map[string]any{"kind": "Status", "code": code, "reason": reason, "message": "the server says " + reason}
}

func TestAPIWritesNameTheOperatorAsFieldManagerAndReturnTypedErrors(t *testing.T) {
	f := useFake(t, &fakeHost{kube: func(req map[string]any) (int, any) {
		if req["method"] == "POST" {
			return 409, status(409, "AlreadyExists")
		}
		return 200, req["body"]
	}})
	operatorName = "webapp"
	_, err := API.Create(New("v1", "ConfigMap", "shop", "c"))
	if !IsAlreadyExists(err) || IsConflict(err) || err.Error() != "POST /api/v1/namespaces/shop/configmaps: 409 AlreadyExists: the server says AlreadyExists" {
		t.Fatalf("err %v", err)
	}
	obj, err := API.Apply(New("v1", "ConfigMap", "shop", "c"), Force())
	if err != nil || obj.Name() != "c" {
		t.Fatalf("apply: %v %v", obj, err)
	}
	want := map[string]any{"fieldManager": "webapp", "force": "true"}
	if got := f.requests[1]; !reflect.DeepEqual(got["query"], want) || got["contentType"] != string(ApplyPatch) || got["method"] != "PATCH" {
		t.Fatalf("apply request %v", got)
	}
}

func TestDeleteSendsPreconditionsAndIgnoreNotFoundForgivesAGoneObject(t *testing.T) {
	f := useFake(t, &fakeHost{kube: func(map[string]any) (int, any) { return 404, status(404, "NotFound") }})
	err := API.Delete(Ref{APIVersion: "v1", Kind: "ConfigMap", Namespace: "a", Name: "b"}, Preconditions("u1", ""), PropagationPolicy("Foreground"))
	if !IsNotFound(err) || IgnoreNotFound(err) != nil || IgnoreNotFound(errors.New("x")) == nil {
		t.Fatalf("err %v", err)
	}
	body := f.requests[0]["body"].(map[string]any)
	if body["propagationPolicy"] != "Foreground" || body["preconditions"].(map[string]any)["uid"] != "u1" {
		t.Fatalf("body %v", body)
	}
}

func TestAddFinalizerRereadsAndRetriesAfterAConflict(t *testing.T) {
	puts := 0
	f := useFake(t, &fakeHost{kube: func(req map[string]any) (int, any) {
		switch req["method"] {
		case "PUT":
			puts++
			if puts == 1 {
				return 409, status(409, "Conflict")
			}
			return 200, req["body"]
		default: // GET: the fresh object
			return 200, map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c", "namespace": "a", "resourceVersion": "2", "finalizers": []any{"other"}}}
		}
	}})
	obj := Object{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c", "namespace": "a", "resourceVersion": "1"}}
	stored, err := AddFinalizer(obj, "example.com/cleanup")
	if err != nil || !reflect.DeepEqual(stored.Finalizers(), []string{"other", "example.com/cleanup"}) {
		t.Fatalf("%v %v", stored, err)
	}
	if len(f.requests) != 3 || HasFinalizer(obj, "example.com/cleanup") {
		t.Fatal("requests, or the caller's object changed")
	}
	again, err := AddFinalizer(stored, "example.com/cleanup")
	if err != nil || len(f.requests) != 3 || again.Name() != "c" {
		t.Fatal("a finalizer already there cost a request")
	}
}

func TestReconcileOutcomesAndPanicsBecomeResults(t *testing.T) {
	f := useFake(t, &fakeHost{cached: map[string]any{"web": map[string]any{"kind": "WebApp", "metadata": map[string]any{"name": "web"}}}})
	Register(Handlers{Reconcile: func(req Request) Result {
		switch req.Name {
		case "web":
			if _, ok := Cache.Get(req.Ref); !ok {
				return Failed(errors.New("cache"))
			}
			return RequeueAfter(1500 * 1e6)
		case "boom":
			var m map[string]int
			m["x"] = 1 // panics: assignment to a nil map
		}
		return Terminal(errors.New("no such thing"))
	}})
	runInit([]byte(`{"abiVersion":1,"operator":{"name":"webapp"},"config":{"a":1}}`))
	runReconcile([]byte(`{"apiVersion":"example.com/v1","kind":"WebApp","namespace":"shop","name":"web"}`))
	runReconcile([]byte(`{"apiVersion":"example.com/v1","kind":"WebApp","namespace":"shop","name":"boom"}`))
	runReconcile([]byte(`{"name":"other"}`))
	runReconcile([]byte(`not json`))
	kinds := []any{}
	for _, r := range f.results {
		kinds = append(kinds, r["kind"])
	}
	if !reflect.DeepEqual(kinds, []any{"done", "requeueAfter", "failed", "failed", "failed"}) || f.results[1]["delayMs"] != int64(1500) {
		t.Fatalf("results %v", f.results)
	}
	if f.results[2]["terminal"] != false || f.results[3]["terminal"] != true || Name() != "webapp" {
		t.Fatalf("results %v", f.results)
	}
	if len(f.logs) == 0 || f.logs[0]["fields"].(map[string]any)["stack"] == nil {
		t.Fatalf("the panic was not logged with its stack: %v", f.logs)
	}
}

func TestLogFieldsComeFromKeyValuePairs(t *testing.T) {
	f := useFake(t, &fakeHost{})
	Log.With("request", "shop/web").Info("created", "replicas", 3, "err", errors.New("e"), 7)
	want := map[string]any{"level": "info", "message": "created", "fields": map[string]any{"request": "shop/web", "replicas": int64(3), "err": "e", "!BADKEY": int64(7)}}
	if !reflect.DeepEqual(f.logs[0], want) {
		t.Fatalf("got %v", f.logs[0])
	}
}
