// ring: operator i watches the TestResources in namespace ring-i and copies each one's nonce
// to the TestResource of the same name in ring-(i+1 mod N). N operators form a ring: a nonce
// written into ring-0 travels through every operator and back (the prototype paper's benchmark).
package main

import (
	"errors"
	"strconv"

	"wasm-operator.dev/operator"
)

const (
	apiVersion = "ring.wasm-operator.dev/v1"
	kind       = "TestResource"
)

var ownNamespace, nextNamespace string

func init() {
	operator.Register(operator.Handlers{Init: setup, Reconcile: reconcile})
}

func main() {}

func setup(operator.Object) error {
	index := operator.ConfigInt("index", -1)
	size := operator.ConfigInt("size", 0)
	if size < 1 || index < 0 || index >= size {
		return errors.New("config needs 0 <= index < size; got index " + strconv.FormatInt(index, 10) + ", size " + strconv.FormatInt(size, 10))
	}
	prefix := operator.ConfigString("namespacePrefix", "ring-")
	ownNamespace = prefix + strconv.FormatInt(index, 10)
	nextNamespace = prefix + strconv.FormatInt((index+1)%size, 10)
	return nil
}

func reconcile(req operator.Request) operator.Result {
	if req.Namespace != ownNamespace {
		return operator.Done() // another operator's part of the ring
	}
	source, ok := operator.Cache.Get(req.Ref)
	if !ok {
		return operator.Done()
	}
	nonce, _ := source.GetString("spec", "nonce")

	// Patch first: one request in the usual case. Kubernetes turns a patch that changes nothing
	// into a no-op without a watch event, so an unchanged nonce stops going round.
	spec := map[string]any{"nonce": nonce}
	next := operator.Ref{APIVersion: apiVersion, Kind: kind, Namespace: nextNamespace, Name: req.Name}
	_, err := operator.API.Patch(next, operator.MergePatch, map[string]any{"spec": spec})
	if err == nil {
		operator.Log.Debug("passed nonce on", "to", nextNamespace, "nonce", nonce)
		return operator.Done()
	}
	if !operator.IsNotFound(err) {
		return operator.Failed(errors.New("patching " + nextNamespace + "/" + req.Name + ": " + err.Error()))
	}

	created := operator.New(apiVersion, kind, nextNamespace, req.Name)
	created["spec"] = spec
	if _, err := operator.API.Create(created); err != nil && !operator.IsAlreadyExists(err) {
		return operator.Failed(errors.New("creating " + nextNamespace + "/" + req.Name + ": " + err.Error()))
	}
	return operator.Done() // already exists: created meanwhile, and its own event follows
}
