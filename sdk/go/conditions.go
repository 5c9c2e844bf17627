package operator

import "time"

// Condition is one status condition (metav1.Condition).
type Condition struct {
	Type   string
	Status string // "True", "False" or "Unknown"
	Reason string
	// Message is for humans.
	Message            string
	ObservedGeneration int64
	// LastTransitionTime is RFC 3339 with whole seconds; SetCondition keeps it.
	LastTransitionTime string
}

// MarshalJSON is the condition as the API server stores it.
func (c Condition) MarshalJSON() ([]byte, error) { return MarshalJSON(c.object()) }

func (c Condition) object() map[string]any {
	m := map[string]any{"type": c.Type, "status": c.Status, "reason": c.Reason, "message": c.Message, "lastTransitionTime": c.LastTransitionTime}
	if c.ObservedGeneration != 0 {
		m["observedGeneration"] = c.ObservedGeneration
	}
	return m
}

// ConditionsOf reads a list of conditions (as found at status.conditions).
func ConditionsOf(list []any) []Condition {
	out := make([]Condition, 0, len(list))
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		generation, _ := toInt(m["observedGeneration"])
		out = append(out, Condition{
			Type: str(m["type"]), Status: str(m["status"]), Reason: str(m["reason"]), Message: str(m["message"]),
			ObservedGeneration: generation, LastTransitionTime: str(m["lastTransitionTime"]),
		})
	}
	return out
}

// SetCondition returns conditions with c set (one entry per type; the input is left alone).
// LastTransitionTime becomes now when the type is new or its status changed, and is kept
// otherwise, as Kubernetes API conventions ask.
func SetCondition(conditions []Condition, c Condition, now time.Time) []Condition {
	out := append([]Condition(nil), conditions...)
	c.LastTransitionTime = now.UTC().Format(time.RFC3339)
	for i, old := range out {
		if old.Type == c.Type {
			if old.Status == c.Status && old.LastTransitionTime != "" {
				c.LastTransitionTime = old.LastTransitionTime
			}
			out[i] = c
			return out
		}
	}
	return append(out, c)
}

// FindCondition is the condition of type t in obj's status.conditions.
func FindCondition(obj Object, t string) (Condition, bool) {
	list, _ := obj.GetSlice("status", "conditions")
	for _, c := range ConditionsOf(list) {
		if c.Type == t {
			return c, true
		}
	}
	return Condition{}, false
}

// SetStatusCondition sets c in obj's status.conditions (see SetCondition) at time.Now(), and
// reports whether that changed anything but the time: when it did not, skip the status write
// (a write that changes nothing still costs a request).
func SetStatusCondition(obj Object, c Condition) bool {
	list, _ := obj.GetSlice("status", "conditions")
	current := ConditionsOf(list)
	for _, old := range current {
		if old.Type == c.Type && old.Status == c.Status && old.Reason == c.Reason && old.Message == c.Message && old.ObservedGeneration == c.ObservedGeneration {
			return false
		}
	}
	next := SetCondition(current, c, time.Now())
	items := make([]any, len(next))
	for i, n := range next {
		items[i] = n.object()
	}
	obj.Set(items, "status", "conditions")
	return true
}
