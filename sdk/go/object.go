package operator

// Object is a Kubernetes object as the API server's JSON decodes it: maps, lists and scalars
// (integers as int64, other numbers as float64). Build one with a literal or New, read it
// with the typed getters, change it with Set. Nested maps are plain map[string]any.
type Object map[string]any

// Ref names one object. Namespace is empty for cluster-scoped kinds.
type Ref struct {
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
}

// String is "Kind namespace/name" (or "Kind name"), for messages and logs.
func (r Ref) String() string {
	if r.Namespace == "" {
		return r.Kind + " " + r.Name
	}
	return r.Kind + " " + r.Namespace + "/" + r.Name
}

// New is an object with apiVersion, kind and metadata.name (and metadata.namespace, unless empty).
func New(apiVersion, kind, namespace, name string) Object {
	meta := map[string]any{"name": name}
	if namespace != "" {
		meta["namespace"] = namespace
	}
	return Object{"apiVersion": apiVersion, "kind": kind, "metadata": meta}
}

// Ref names this object (read from apiVersion, kind, metadata.namespace and metadata.name).
func (o Object) Ref() Ref {
	return Ref{APIVersion: o.APIVersion(), Kind: o.Kind(), Namespace: o.Namespace(), Name: o.Name()}
}

func (o Object) APIVersion() string { return o.str("apiVersion") }
func (o Object) Kind() string       { return o.str("kind") }
func (o Object) Name() string       { return o.str("metadata", "name") }
func (o Object) Namespace() string  { return o.str("metadata", "namespace") }
func (o Object) UID() string        { return o.str("metadata", "uid") }

// ResourceVersion is the version an update must name (optimistic concurrency).
func (o Object) ResourceVersion() string { return o.str("metadata", "resourceVersion") }

// Generation counts changes to the object's spec (0 when absent).
func (o Object) Generation() int64 {
	n, _ := o.GetInt("metadata", "generation")
	return n
}

// DeletionTimestamp is set once the object is being deleted (it waits for its finalizers).
func (o Object) DeletionTimestamp() string { return o.str("metadata", "deletionTimestamp") }

// Deleting reports whether the object is being deleted.
func (o Object) Deleting() bool { return o.DeletionTimestamp() != "" }

// Labels is a copy of metadata.labels (never nil).
func (o Object) Labels() map[string]string { return o.stringMap("labels") }

// Annotations is a copy of metadata.annotations (never nil).
func (o Object) Annotations() map[string]string { return o.stringMap("annotations") }

// SetLabel sets one label.
func (o Object) SetLabel(key, value string) { o.Set(value, "metadata", "labels", key) }

// SetAnnotation sets one annotation.
func (o Object) SetAnnotation(key, value string) { o.Set(value, "metadata", "annotations", key) }

// Finalizers is a copy of metadata.finalizers.
func (o Object) Finalizers() []string {
	list, _ := o.GetSlice("metadata", "finalizers")
	out := make([]string, 0, len(list))
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// SetFinalizers replaces metadata.finalizers.
func (o Object) SetFinalizers(finalizers []string) {
	list := make([]any, len(finalizers))
	for i, f := range finalizers {
		list[i] = f
	}
	o.Set(list, "metadata", "finalizers")
}

// Get is the value at path (keys of nested maps) and whether it is there.
func (o Object) Get(path ...string) (any, bool) {
	var at any = map[string]any(o)
	for _, key := range path {
		m, ok := asMap(at)
		if !ok {
			return nil, false
		}
		if at, ok = m[key]; !ok {
			return nil, false
		}
	}
	return at, true
}

// GetString is the string at path; false when absent or not a string.
func (o Object) GetString(path ...string) (string, bool) {
	v, _ := o.Get(path...)
	s, ok := v.(string)
	return s, ok
}

// GetInt is the integer at path; false when absent or not a whole number.
func (o Object) GetInt(path ...string) (int64, bool) {
	v, _ := o.Get(path...)
	return toInt(v)
}

// GetBool is the boolean at path; false when absent or not a boolean.
func (o Object) GetBool(path ...string) (value, ok bool) {
	v, _ := o.Get(path...)
	value, ok = v.(bool)
	return value, ok
}

// GetMap is the map at path; false when absent or not a map.
func (o Object) GetMap(path ...string) (map[string]any, bool) {
	v, _ := o.Get(path...)
	return asMap(v)
}

// GetSlice is the list at path; false when absent or not a list.
func (o Object) GetSlice(path ...string) ([]any, bool) {
	v, _ := o.Get(path...)
	list, ok := v.([]any)
	return list, ok
}

// Set puts value at path, creating maps on the way (and replacing anything that is not a map).
func (o Object) Set(value any, path ...string) {
	if len(path) == 0 {
		return
	}
	m := map[string]any(o)
	for _, key := range path[:len(path)-1] {
		next, ok := asMap(m[key])
		if !ok {
			next = map[string]any{}
			m[key] = next
		}
		m = next
	}
	m[path[len(path)-1]] = value
}

// Remove deletes the value at path, if there is one.
func (o Object) Remove(path ...string) {
	if len(path) == 0 {
		return
	}
	parent, ok := o.GetMap(path[:len(path)-1]...)
	if len(path) == 1 {
		parent, ok = map[string]any(o), true
	}
	if ok {
		delete(parent, path[len(path)-1])
	}
}

// DeepCopy is a copy that shares nothing with o.
func (o Object) DeepCopy() Object {
	return Object(deepCopy(map[string]any(o)).(map[string]any))
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case Object:
		return Object(deepCopy(map[string]any(x)).(map[string]any))
	case []any:
		list := make([]any, len(x))
		for i, e := range x {
			list[i] = deepCopy(e)
		}
		return list
	default:
		return v
	}
}

func (o Object) str(path ...string) string {
	s, _ := o.GetString(path...)
	return s
}

func (o Object) stringMap(field string) map[string]string {
	m, _ := o.GetMap("metadata", field)
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

func asMap(v any) (map[string]any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return x, x != nil
	case Object:
		return map[string]any(x), x != nil
	}
	return nil, false
}

// toInt accepts every integer type and whole float64s (numbers written by other encoders).
func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}
