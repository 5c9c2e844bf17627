package operator

import (
	"reflect"
	"testing"
	"time"
)

func TestObjectGettersReadMetadataAndNestedFields(t *testing.T) {
	v, _ := ParseJSON([]byte(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"shop","uid":"u1","generation":3,
		"labels":{"app":"web"},"finalizers":["a","b"],"deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{"replicas":2}}`))
	obj := Object(v.(map[string]any))
	if obj.Ref() != (Ref{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}) {
		t.Fatalf("ref %v", obj.Ref())
	}
	if n, ok := obj.GetInt("spec", "replicas"); !ok || n != 2 || obj.Generation() != 3 || !obj.Deleting() {
		t.Fatal("getters")
	}
	if !reflect.DeepEqual(obj.Labels(), map[string]string{"app": "web"}) || !reflect.DeepEqual(obj.Finalizers(), []string{"a", "b"}) {
		t.Fatal("labels or finalizers")
	}
	if _, ok := obj.GetString("spec", "replicas"); ok {
		t.Fatal("a number read as a string")
	}
	if _, ok := obj.Get("spec", "replicas", "deeper"); ok {
		t.Fatal("went through a scalar")
	}
}

func TestSetCreatesMapsOnTheWayAndDeepCopySharesNothing(t *testing.T) {
	obj := New("v1", "ConfigMap", "ns", "c")
	obj.Set("v", "data", "k")
	obj.SetLabel("app", "web")
	copied := obj.DeepCopy()
	copied.Set("changed", "data", "k")
	if s, _ := obj.GetString("data", "k"); s != "v" {
		t.Fatal("the copy shares maps with the original")
	}
	obj.Remove("data", "k")
	if _, ok := obj.Get("data", "k"); ok {
		t.Fatal("not removed")
	}
	if obj.Labels()["app"] != "web" {
		t.Fatal("label")
	}
}

func TestPathsFollowTheEnglishPluralsOfKinds(t *testing.T) {
	cases := map[string]string{
		ObjectPath(Ref{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}, "status"): "/apis/apps/v1/namespaces/shop/deployments/web/status",
		CollectionPath("v1", "Namespace", ""):                                "/api/v1/namespaces",
		CollectionPath("networking.k8s.io/v1", "Ingress", "a"):               "/apis/networking.k8s.io/v1/namespaces/a/ingresses",
		CollectionPath("policy/v1", "PodDisruptionBudget", ""):               "/apis/policy/v1/poddisruptionbudgets",
		CollectionPath("example.com/v1", "Policy", ""):                       "/apis/example.com/v1/policies",
		CollectionPath("v1", "Endpoints", "x"):                               "/api/v1/namespaces/x/endpoints",
		ObjectPath(Ref{APIVersion: "v1", Kind: "Secret", Name: "a b/c"}, ""): "/api/v1/secrets/a%20b%2Fc",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	RegisterResource("example.com/v1", "Cactus", "cacti")
	if CollectionPath("example.com/v1", "Cactus", "") != "/apis/example.com/v1/cacti" {
		t.Error("registered plural not used")
	}
}

func TestSetConditionMovesTheTransitionTimeOnlyWhenTheStatusChanges(t *testing.T) {
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	list := SetCondition(nil, Condition{Type: "Ready", Status: "False", Reason: "Starting"}, t0)
	list = SetCondition(list, Condition{Type: "Ready", Status: "False", Reason: "Waiting"}, t0.Add(time.Minute))
	if list[0].LastTransitionTime != "2024-05-01T10:00:00Z" || list[0].Reason != "Waiting" {
		t.Fatalf("same status: %+v", list[0])
	}
	list = SetCondition(list, Condition{Type: "Ready", Status: "True", Reason: "Up"}, t0.Add(2*time.Minute))
	list = SetCondition(list, Condition{Type: "Degraded", Status: "False"}, t0)
	if len(list) != 2 || list[0].LastTransitionTime != "2024-05-01T10:02:00Z" {
		t.Fatalf("changed status: %+v", list)
	}
	obj := Object{}
	if !SetStatusCondition(obj, Condition{Type: "Ready", Status: "True", ObservedGeneration: 4}) ||
		SetStatusCondition(obj, Condition{Type: "Ready", Status: "True", ObservedGeneration: 4}) {
		t.Fatal("changed reported wrong")
	}
	if c, ok := FindCondition(obj, "Ready"); !ok || c.ObservedGeneration != 4 || c.LastTransitionTime == "" {
		t.Fatalf("status condition: %+v", c)
	}
}

func TestSetControllerReferenceRefusesASecondController(t *testing.T) {
	owner := Object{"apiVersion": "example.com/v1", "kind": "WebApp", "metadata": map[string]any{"name": "web", "uid": "u1"}}
	other := Object{"apiVersion": "example.com/v1", "kind": "WebApp", "metadata": map[string]any{"name": "other", "uid": "u2"}}
	owned := New("v1", "ConfigMap", "ns", "c")
	if err := SetControllerReference(owned, owner); err != nil || !IsControlledBy(owned, owner) {
		t.Fatal(err)
	}
	if err := SetControllerReference(owned, owner); err != nil || len(owned.OwnerReferences()) != 1 {
		t.Fatal("setting it again duplicated it")
	}
	if err := SetControllerReference(owned, other); err == nil {
		t.Fatal("a second controller was accepted")
	}
	if _, err := ControllerReference(New("v1", "ConfigMap", "", "never-read")); err == nil {
		t.Fatal("an owner without uid was accepted")
	}
}

func TestResultsSayOneThing(t *testing.T) {
	cases := map[string]Result{
		`{"kind":"done"}`:                                       Done(),
		`{"delayMs":0,"kind":"requeueAfter"}`:                   RequeueAfter(-time.Second),
		`{"delayMs":1500,"kind":"requeueAfter"}`:                RequeueAfter(1500 * time.Millisecond),
		`{"kind":"failed","message":"failed","terminal":false}`: Failed(nil),
	}
	for want, r := range cases {
		if got, _ := MarshalJSON(r.payload()); string(got) != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
}
