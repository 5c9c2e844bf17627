package operator

import "errors"

type cache struct{}

// Cache reads the host's shared informer cache: no request to the API server, but only for
// kinds the manifest watches or owns (another kind traps, naming it), and it may lag the API
// server by the time a watch event takes. Read through API right after a write.
var Cache cache

// Get is one object from the cache; false when the cache has no such object (for the
// reconciled object: it was deleted).
func (cache) Get(ref Ref) (Object, bool) {
	q := map[string]any{"apiVersion": ref.APIVersion, "kind": ref.Kind, "name": ref.Name}
	if ref.Namespace != "" {
		q["namespace"] = ref.Namespace
	}
	v, err := ask(host.cacheGet, "cache_get", q)
	if err != nil {
		Abort(err.Error()) // the host answers JSON or traps: anything else is a broken host
	}
	m, ok := v.(map[string]any)
	return Object(m), ok && m != nil
}

// List is the cached objects of one kind (in a namespace, matching a label selector, when
// given), in namespace/name order.
func (cache) List(q ListOptions) []Object {
	payload := map[string]any{"apiVersion": q.APIVersion, "kind": q.Kind}
	if q.Namespace != "" {
		payload["namespace"] = q.Namespace
	}
	if q.LabelSelector != "" {
		payload["labelSelector"] = q.LabelSelector
	}
	v, err := ask(host.cacheList, "cache_list", payload)
	m, ok := v.(map[string]any)
	if err == nil && !ok {
		err = errors.New("cache_list: the answer is not an object")
	}
	if err != nil {
		Abort(err.Error())
	}
	return itemsOf(m)
}
