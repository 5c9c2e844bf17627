package operator

import (
	"errors"
	"strconv"
)

// APIError is a request the API server refused, or the host refused for it (403 for a
// request outside the operator's permissions, 503 when the API server cannot be reached).
type APIError struct {
	Method string
	Path   string
	// Status is the HTTP status.
	Status int
	// Reason is the Status reason: NotFound, AlreadyExists, Conflict, Forbidden, Invalid, ...
	Reason  string
	Message string
	// Body is the response body (a Kubernetes Status, decoded).
	Body any
}

func (e *APIError) Error() string {
	text := e.Method + " " + e.Path + ": " + strconv.Itoa(e.Status) + " " + e.Reason
	if e.Message != "" {
		text += ": " + e.Message
	}
	return text
}

func apiErrorOf(method, path string, status int, body any) *APIError {
	e := &APIError{Method: method, Path: path, Status: status, Body: body, Reason: "Unknown"}
	if m, ok := body.(map[string]any); ok {
		if r, ok := m["reason"].(string); ok && r != "" {
			e.Reason = r
		}
		e.Message, _ = m["message"].(string)
	}
	return e
}

func statusOf(err error) (int, string) {
	var e *APIError
	if errors.As(err, &e) {
		return e.Status, e.Reason
	}
	return 0, ""
}

// IsNotFound: the object does not exist (404).
func IsNotFound(err error) bool { s, _ := statusOf(err); return s == 404 }

// IsConflict: the object changed since it was read (409 Conflict); read it again and retry.
func IsConflict(err error) bool { s, r := statusOf(err); return s == 409 && r == "Conflict" }

// IsAlreadyExists: create found an object of that name (409 AlreadyExists).
func IsAlreadyExists(err error) bool { s, r := statusOf(err); return s == 409 && r == "AlreadyExists" }

// IsForbidden: outside the operator's permissions, or refused by the API server's RBAC (403).
func IsForbidden(err error) bool { s, _ := statusOf(err); return s == 403 }

// IsInvalid: the object failed validation (422).
func IsInvalid(err error) bool { s, _ := statusOf(err); return s == 422 }

// IgnoreNotFound is nil for a NotFound error and err otherwise.
func IgnoreNotFound(err error) error {
	if IsNotFound(err) {
		return nil
	}
	return err
}
