package operator

import "strings"

// Kubernetes speaks paths and an operator knows kinds: the SDK turns a kind into its resource
// (plural) name by the English rules Kubernetes' own kinds and generated CRDs follow.
// RegisterResource teaches it the ones the rules get wrong.

var plurals = map[string]string{"v1/Endpoints": "endpoints"}

// RegisterResource sets the resource (plural) name of a kind, as `kubectl api-resources` shows it.
func RegisterResource(apiVersion, kind, plural string) {
	plurals[apiVersion+"/"+kind] = plural
}

// guessPlural is the lower-cased English plural: Policy → policies, Ingress → ingresses.
func guessPlural(kind string) string {
	k := strings.ToLower(kind)
	switch {
	case strings.HasSuffix(k, "s"), strings.HasSuffix(k, "x"), strings.HasSuffix(k, "z"),
		strings.HasSuffix(k, "ch"), strings.HasSuffix(k, "sh"):
		return k + "es"
	case len(k) > 1 && k[len(k)-1] == 'y' && !strings.ContainsRune("aeiou", rune(k[len(k)-2])):
		return k[:len(k)-1] + "ies"
	}
	return k + "s"
}

func plural(apiVersion, kind string) string {
	if p, ok := plurals[apiVersion+"/"+kind]; ok {
		return p
	}
	return guessPlural(kind)
}

// CollectionPath is the API path of a kind's objects in namespace (all namespaces, or a
// cluster-scoped kind, when namespace is empty): /api/v1/namespaces/ns/configmaps.
func CollectionPath(apiVersion, kind, namespace string) string {
	var b strings.Builder
	if strings.Contains(apiVersion, "/") {
		b.WriteString("/apis/")
	} else {
		b.WriteString("/api/")
	}
	b.WriteString(apiVersion)
	if namespace != "" {
		b.WriteString("/namespaces/")
		b.WriteString(escapeSegment(namespace))
	}
	b.WriteString("/")
	b.WriteString(plural(apiVersion, kind))
	return b.String()
}

// ObjectPath is the API path of one object, with "/"+subresource when subresource is not empty.
func ObjectPath(ref Ref, subresource string) string {
	p := CollectionPath(ref.APIVersion, ref.Kind, ref.Namespace) + "/" + escapeSegment(ref.Name)
	if subresource != "" {
		p += "/" + subresource
	}
	return p
}

// escapeSegment percent-encodes one path segment (net/url would link fmt, about 600 KB).
func escapeSegment(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
