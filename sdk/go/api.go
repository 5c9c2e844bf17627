package operator

import "errors"

// KubeRequest is one raw request to the API server (docs/abi.md, kube_request).
type KubeRequest struct {
	Method string
	// Path is an API server path without the host, e.g. /api/v1/namespaces/shop/configmaps.
	Path  string
	Query map[string]string
	// ContentType defaults to application/json.
	ContentType string
	// Body is encoded as JSON when not nil.
	Body any
}

// KubeResponse is the API server's answer (or the host's, for refusals): Body is decoded JSON.
type KubeResponse struct {
	Status int
	Body   any
}

// PatchType says how API.Patch's patch is meant.
type PatchType string

const (
	MergePatch     PatchType = "application/merge-patch+json"
	JSONPatch      PatchType = "application/json-patch+json"
	StrategicPatch PatchType = "application/strategic-merge-patch+json"
	// ApplyPatch is server-side apply; the patch is the whole (partial) object you intend.
	ApplyPatch PatchType = "application/apply-patch+yaml"
)

// Option changes one API call.
type Option func(*callOptions)

type callOptions struct {
	fieldManager string
	force        bool
	propagation  string
	uid          string
	version      string
}

// FieldManager names the writer in managedFields (default: the operator's name).
func FieldManager(name string) Option { return func(o *callOptions) { o.fieldManager = name } }

// Force takes over fields other managers own (server-side apply).
func Force() Option { return func(o *callOptions) { o.force = true } }

// PropagationPolicy for Delete: "Foreground", "Background" or "Orphan".
func PropagationPolicy(policy string) Option { return func(o *callOptions) { o.propagation = policy } }

// Preconditions for Delete: delete only the object with this uid (and resourceVersion, unless empty).
func Preconditions(uid, resourceVersion string) Option {
	return func(o *callOptions) { o.uid, o.version = uid, resourceVersion }
}

type api struct{}

// API is the Kubernetes API, through the host. Every call waits for the API server's answer
// (the host suspends the operator meanwhile). Calls return an *APIError for any status but
// 2xx: test it with IsNotFound, IsConflict, IsAlreadyExists or IsForbidden.
var API api

// Request sends one raw request and returns the response whatever its status; the error is
// only for a request that could not be sent (a body that does not encode). Watches are
// refused: the host owns them (declare watched kinds in the manifest).
func (api) Request(r KubeRequest) (KubeResponse, error) {
	if r.Query["watch"] == "true" || r.Query["watch"] == "1" {
		return KubeResponse{}, errors.New("watches belong to the host: declare the kind in the manifest (watches/owns) instead")
	}
	payload := map[string]any{"method": r.Method, "path": r.Path}
	if len(r.Query) > 0 {
		payload["query"] = r.Query
	}
	if r.ContentType != "" {
		payload["contentType"] = r.ContentType
	}
	if r.Body != nil {
		payload["body"] = r.Body
	}
	v, err := ask(host.kubeRequest, "kube_request", payload)
	if err != nil {
		return KubeResponse{}, err
	}
	m, _ := v.(map[string]any)
	status, ok := toInt(m["status"])
	if !ok {
		return KubeResponse{}, errors.New("kube_request: the host's answer has no status")
	}
	return KubeResponse{Status: int(status), Body: m["body"]}, nil
}

// do sends r and decodes a 2xx answer as an object.
func (a api) do(r KubeRequest) (Object, error) {
	resp, err := a.Request(r)
	if err != nil {
		return nil, err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, apiErrorOf(r.Method, r.Path, resp.Status, resp.Body)
	}
	m, _ := resp.Body.(map[string]any)
	return Object(m), nil
}

func writeQuery(opts []Option) (map[string]string, callOptions) {
	var o callOptions
	for _, opt := range opts {
		opt(&o)
	}
	manager := o.fieldManager
	if manager == "" {
		manager = operatorName
	}
	q := map[string]string{}
	if manager != "" {
		q["fieldManager"] = manager
	}
	if o.force {
		q["force"] = "true"
	}
	return q, o
}

func refOf(obj Object) (Ref, error) {
	ref := obj.Ref()
	if ref.APIVersion == "" || ref.Kind == "" || ref.Name == "" {
		return ref, errors.New("the object needs apiVersion, kind and metadata.name")
	}
	return ref, nil
}

// Get reads one object from the API server (not the cache): for reading your own writes.
func (a api) Get(ref Ref) (Object, error) {
	return a.do(KubeRequest{Method: "GET", Path: ObjectPath(ref, "")})
}

// ListOptions select objects of one kind; LabelSelector uses the `kubectl -l` syntax.
type ListOptions struct {
	APIVersion    string
	Kind          string
	Namespace     string
	LabelSelector string
}

// List reads objects from the API server (Cache.List costs no request).
func (a api) List(q ListOptions) ([]Object, error) {
	r := KubeRequest{Method: "GET", Path: CollectionPath(q.APIVersion, q.Kind, q.Namespace)}
	if q.LabelSelector != "" {
		r.Query = map[string]string{"labelSelector": q.LabelSelector}
	}
	list, err := a.do(r)
	if err != nil {
		return nil, err
	}
	return itemsOf(list), nil
}

// Create creates obj (in metadata.namespace, if any) and returns it as stored.
func (a api) Create(obj Object, opts ...Option) (Object, error) {
	q, _ := writeQuery(opts)
	return a.do(KubeRequest{Method: "POST", Path: CollectionPath(obj.APIVersion(), obj.Kind(), obj.Namespace()), Query: q, Body: obj})
}

// Update replaces obj (PUT); a Conflict error means it changed since it was read.
func (a api) Update(obj Object, opts ...Option) (Object, error) { return a.put(obj, "", opts) }

// UpdateStatus replaces obj's status through the status subresource.
func (a api) UpdateStatus(obj Object, opts ...Option) (Object, error) {
	return a.put(obj, "status", opts)
}

func (a api) put(obj Object, subresource string, opts []Option) (Object, error) {
	ref, err := refOf(obj)
	if err != nil {
		return nil, err
	}
	q, _ := writeQuery(opts)
	return a.do(KubeRequest{Method: "PUT", Path: ObjectPath(ref, subresource), Query: q, Body: obj})
}

// Patch patches one object. For ApplyPatch pass the object you intend (see Apply).
func (a api) Patch(ref Ref, pt PatchType, patch any, opts ...Option) (Object, error) {
	return a.patch(ref, "", pt, patch, opts)
}

// PatchStatus patches the status subresource.
func (a api) PatchStatus(ref Ref, pt PatchType, patch any, opts ...Option) (Object, error) {
	return a.patch(ref, "status", pt, patch, opts)
}

func (a api) patch(ref Ref, subresource string, pt PatchType, patch any, opts []Option) (Object, error) {
	q, _ := writeQuery(opts)
	return a.do(KubeRequest{Method: "PATCH", Path: ObjectPath(ref, subresource), Query: q, ContentType: string(pt), Body: patch})
}

// Apply is server-side apply of obj: the idempotent way to say "make it look like this".
// Fields obj leaves out and this operator applied before are removed.
func (a api) Apply(obj Object, opts ...Option) (Object, error) {
	ref, err := refOf(obj)
	if err != nil {
		return nil, err
	}
	return a.Patch(ref, ApplyPatch, obj, opts...)
}

// Delete deletes one object; an object already gone is a NotFound error (see IgnoreNotFound).
func (a api) Delete(ref Ref, opts ...Option) error {
	_, o := writeQuery(opts)
	r := KubeRequest{Method: "DELETE", Path: ObjectPath(ref, "")}
	if o.propagation != "" || o.uid != "" {
		body := map[string]any{"apiVersion": "v1", "kind": "DeleteOptions"}
		if o.propagation != "" {
			body["propagationPolicy"] = o.propagation
		}
		if o.uid != "" {
			pre := map[string]any{"uid": o.uid}
			if o.version != "" {
				pre["resourceVersion"] = o.version
			}
			body["preconditions"] = pre
		}
		r.Body = body
	}
	_, err := a.do(r)
	return err
}

func itemsOf(list map[string]any) []Object {
	items, _ := list["items"].([]any)
	out := make([]Object, 0, len(items))
	for _, item := range items {
		if m, ok := item.(map[string]any); ok {
			out = append(out, Object(m))
		}
	}
	return out
}
