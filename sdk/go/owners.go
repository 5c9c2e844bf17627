package operator

import "errors"

// OwnerReference is one entry of metadata.ownerReferences: the owner is garbage-collected
// with its owned objects, and a change to an owned object reconciles its controller.
type OwnerReference struct {
	APIVersion         string
	Kind               string
	Name               string
	UID                string
	Controller         bool
	BlockOwnerDeletion bool
}

func (r OwnerReference) object() map[string]any {
	return map[string]any{
		"apiVersion": r.APIVersion, "kind": r.Kind, "name": r.Name, "uid": r.UID,
		"controller": r.Controller, "blockOwnerDeletion": r.BlockOwnerDeletion,
	}
}

// OwnerReferences is a copy of metadata.ownerReferences.
func (o Object) OwnerReferences() []OwnerReference {
	list, _ := o.GetSlice("metadata", "ownerReferences")
	out := make([]OwnerReference, 0, len(list))
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			continue
		}
		controller, _ := m["controller"].(bool)
		block, _ := m["blockOwnerDeletion"].(bool)
		out = append(out, OwnerReference{
			APIVersion: str(m["apiVersion"]), Kind: str(m["kind"]), Name: str(m["name"]), UID: str(m["uid"]),
			Controller: controller, BlockOwnerDeletion: block,
		})
	}
	return out
}

// SetOwnerReferences replaces metadata.ownerReferences.
func (o Object) SetOwnerReferences(refs []OwnerReference) {
	list := make([]any, len(refs))
	for i, r := range refs {
		list[i] = r.object()
	}
	o.Set(list, "metadata", "ownerReferences")
}

// ControllerReference is the controller reference to owner, which must have been read from
// the cache or the API (it needs a uid).
func ControllerReference(owner Object) (OwnerReference, error) {
	if owner.Name() == "" || owner.UID() == "" {
		return OwnerReference{}, errors.New(owner.Kind() + " has no name or uid yet: read it from the cache or the API first")
	}
	return OwnerReference{APIVersion: owner.APIVersion(), Kind: owner.Kind(), Name: owner.Name(), UID: owner.UID(), Controller: true, BlockOwnerDeletion: true}, nil
}

// SetControllerReference makes owner the controller of obj. An object has at most one
// controller: it fails when another object already controls obj.
func SetControllerReference(obj, owner Object) error {
	ref, err := ControllerReference(owner)
	if err != nil {
		return err
	}
	refs := obj.OwnerReferences()
	kept := refs[:0]
	for _, r := range refs {
		if r.Controller && r.UID != ref.UID {
			return errors.New(obj.Kind() + " " + obj.Name() + " is already controlled by " + r.Kind + " " + r.Name)
		}
		if r.UID != ref.UID {
			kept = append(kept, r)
		}
	}
	obj.SetOwnerReferences(append(kept, ref))
	return nil
}

// IsControlledBy reports whether owner is obj's controller.
func IsControlledBy(obj, owner Object) bool {
	for _, r := range obj.OwnerReferences() {
		if r.Controller && r.UID == owner.UID() {
			return true
		}
	}
	return false
}
