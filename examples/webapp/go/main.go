// webapp: a WebApp (image, replicas, port) becomes a Deployment and a Service that it owns.
// The WebApp's status reports the ready replicas and a Ready condition; a finalizer lets the
// operator delete what it created before the WebApp goes away.
package main

import (
	"errors"
	"strconv"

	"wasm-operator.dev/operator"
)

const finalizer = "example.com/webapp-cleanup"

func init() { operator.Register(operator.Handlers{Reconcile: reconcile}) }

func main() {}

func reconcile(req operator.Request) operator.Result {
	app, ok := operator.Cache.Get(req.Ref)
	if !ok {
		return operator.Done() // deleted: owner references let the GC remove the rest
	}
	if app.Deleting() {
		return cleanUp(app)
	}
	app, err := operator.AddFinalizer(app, finalizer)
	if err != nil {
		return operator.Failed(errors.New("adding the finalizer failed: " + err.Error()))
	}

	image, ok := app.GetString("spec", "image")
	if !ok {
		image = operator.ConfigString("defaultImage", "nginx:1.27")
	}
	replicas := intOr(app, 1, "spec", "replicas")
	port := intOr(app, 80, "spec", "port")

	deployment := ensure(app, desiredDeployment(app, image, replicas, port), deploymentDrift)
	if deployment == nil {
		return operator.Failed(errors.New("could not create or update the Deployment"))
	}
	if ensure(app, desiredService(app, port), serviceDrift) == nil {
		return operator.Failed(errors.New("could not create or update the Service"))
	}
	return writeStatus(app, deployment, replicas)
}

func intOr(obj operator.Object, def int64, path ...string) int64 {
	if n, ok := obj.GetInt(path...); ok {
		return n
	}
	return def
}

// cleanUp deletes the children explicitly (not only through garbage collection), then lets the WebApp go.
func cleanUp(app operator.Object) operator.Result {
	if !operator.HasFinalizer(app, finalizer) {
		return operator.Done()
	}
	for _, child := range []operator.Ref{
		{APIVersion: "apps/v1", Kind: "Deployment", Namespace: app.Namespace(), Name: app.Name()},
		{APIVersion: "v1", Kind: "Service", Namespace: app.Namespace(), Name: app.Name()},
	} {
		if err := operator.API.Delete(child); operator.IgnoreNotFound(err) != nil {
			return operator.Failed(errors.New("cleanup failed: " + err.Error()))
		}
	}
	if _, err := operator.RemoveFinalizer(app, finalizer); operator.IgnoreNotFound(err) != nil {
		return operator.Failed(errors.New("removing the finalizer failed: " + err.Error()))
	}
	operator.Log.Info("cleaned up " + app.Namespace() + "/" + app.Name())
	return operator.Done()
}

func labelsFor(app operator.Object) map[string]any {
	return map[string]any{"app.kubernetes.io/name": app.Name(), "app.kubernetes.io/managed-by": "webapp"}
}

func owned(app operator.Object, apiVersion, kind string) operator.Object {
	obj := operator.New(apiVersion, kind, app.Namespace(), app.Name())
	obj.Set(labelsFor(app), "metadata", "labels")
	if err := operator.SetControllerReference(obj, app); err != nil {
		operator.Abort(err.Error()) // a fresh object has no controller: cannot happen
	}
	return obj
}

func desiredDeployment(app operator.Object, image string, replicas, port int64) operator.Object {
	d := owned(app, "apps/v1", "Deployment")
	container := map[string]any{"name": "web", "image": image, "ports": []any{map[string]any{"name": "http", "containerPort": port}}}
	d["spec"] = map[string]any{
		"replicas": replicas,
		"selector": map[string]any{"matchLabels": labelsFor(app)},
		"template": map[string]any{
			"metadata": map[string]any{"labels": labelsFor(app)},
			"spec":     map[string]any{"containers": []any{container}},
		},
	}
	return d
}

func desiredService(app operator.Object, port int64) operator.Object {
	s := owned(app, "v1", "Service")
	s["spec"] = map[string]any{
		"selector": labelsFor(app),
		"ports":    []any{map[string]any{"name": "http", "port": port, "targetPort": "http"}},
	}
	return s
}

// first is the first map of the list at path, or nil.
func first(obj operator.Object, path ...string) operator.Object {
	list, _ := obj.GetSlice(path...)
	if len(list) == 0 {
		return nil
	}
	m, _ := list[0].(map[string]any)
	return m
}

func deploymentDrift(current, desired operator.Object) bool {
	c := first(current, "spec", "template", "spec", "containers")
	d := first(desired, "spec", "template", "spec", "containers")
	if c == nil {
		return true
	}
	return intOr(current, 1, "spec", "replicas") != intOr(desired, 1, "spec", "replicas") ||
		c["image"] != d["image"] ||
		intOr(first(c, "ports"), -1, "containerPort") != intOr(first(d, "ports"), -1, "containerPort")
}

func serviceDrift(current, desired operator.Object) bool {
	p := first(current, "spec", "ports")
	return p == nil || intOr(p, -1, "port") != intOr(first(desired, "spec", "ports"), -1, "port")
}

// ensure creates desired when the cache has no such object, or merge-patches its spec when
// drifted says the live one differs. It returns the live object, or nil when the API refused
// or an object of that name belongs to someone else.
func ensure(app, desired operator.Object, drifted func(current, desired operator.Object) bool) operator.Object {
	ref := desired.Ref()
	log := operator.Log.With("kind", ref.Kind, "object", ref.Namespace+"/"+ref.Name)
	current, ok := operator.Cache.Get(ref)
	if !ok {
		created, err := operator.API.Create(desired)
		switch {
		case err == nil:
			log.Info("created " + ref.String())
			return created
		case operator.IsAlreadyExists(err):
			return desired // the cache lags a create of ours; the next event settles it
		default:
			log.Error("creating "+ref.String()+" failed", "error", err)
			return nil
		}
	}
	if !operator.IsControlledBy(current, app) {
		log.Warn(ref.String() + " exists and is not controlled by this WebApp; leaving it alone")
		return nil
	}
	if !drifted(current, desired) {
		return current
	}
	patched, err := operator.API.Patch(ref, operator.MergePatch, map[string]any{"spec": desired["spec"]})
	if err != nil {
		log.Error("updating "+ref.String()+" failed", "error", err)
		return nil
	}
	log.Info("updated " + ref.String())
	return patched
}

// writeStatus writes observedGeneration, readyReplicas and the Ready condition, only when they changed.
func writeStatus(app, deployment operator.Object, replicas int64) operator.Result {
	previous, _ := app.GetMap("status")
	patch := operator.Object{"status": map[string]any{}}
	if previous != nil {
		patch = operator.Object{"status": previous}.DeepCopy()
	}
	generation := app.Generation()
	ready := intOr(deployment, 0, "status", "readyReplicas")
	changed := intOr(app, -1, "status", "observedGeneration") != generation || intOr(app, -1, "status", "readyReplicas") != ready
	patch.Set(generation, "status", "observedGeneration")
	patch.Set(ready, "status", "readyReplicas")
	condition := operator.Condition{Type: "Ready", Status: "False", Reason: "ReplicasNotReady", ObservedGeneration: generation,
		Message: strconv.FormatInt(ready, 10) + "/" + strconv.FormatInt(replicas, 10) + " replicas ready"}
	if ready >= replicas {
		condition.Status, condition.Reason = "True", "ReplicasReady"
	}
	changed = operator.SetStatusCondition(patch, condition) || changed
	if !changed {
		return operator.Done() // no write, so no watch event, so no reconcile loop
	}
	if _, err := operator.API.PatchStatus(app.Ref(), operator.MergePatch, patch); operator.IgnoreNotFound(err) != nil {
		return operator.Failed(errors.New("status update failed: " + err.Error()))
	}
	return operator.Done()
}
