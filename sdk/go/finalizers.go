package operator

import "slices"

// HasFinalizer reports whether obj lists finalizer.
func HasFinalizer(obj Object, finalizer string) bool {
	return slices.Contains(obj.Finalizers(), finalizer)
}

// AddFinalizer adds finalizer to obj through the API (an update) and returns the object as
// stored; obj itself when it already has it (no request). A Conflict is handled by reading the
// object again and retrying, a few times.
func AddFinalizer(obj Object, finalizer string) (Object, error) {
	return updateFinalizers(obj, func(list []string) ([]string, bool) {
		if slices.Contains(list, finalizer) {
			return list, false
		}
		return append(list, finalizer), true
	})
}

// RemoveFinalizer removes finalizer from obj through the API, as AddFinalizer adds it.
func RemoveFinalizer(obj Object, finalizer string) (Object, error) {
	return updateFinalizers(obj, func(list []string) ([]string, bool) {
		i := slices.Index(list, finalizer)
		if i < 0 {
			return list, false
		}
		return slices.Delete(list, i, i+1), true
	})
}

const finalizerAttempts = 3

func updateFinalizers(obj Object, change func([]string) ([]string, bool)) (Object, error) {
	current := obj
	for attempt := 1; ; attempt++ {
		list, changed := change(current.Finalizers())
		if !changed {
			return current, nil
		}
		next := current.DeepCopy()
		next.SetFinalizers(list)
		stored, err := API.Update(next)
		if err == nil || !IsConflict(err) || attempt == finalizerAttempts {
			return stored, err
		}
		fresh, getErr := API.Get(current.Ref())
		if getErr != nil {
			return nil, err // gone meanwhile: the conflict is the answer
		}
		current = fresh
	}
}
