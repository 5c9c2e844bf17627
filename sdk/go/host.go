package operator

import "errors"

// hostCalls are the ABI's imports (docs/abi.md, module wasm_operator). host_wasip1.go binds
// them to the real imports; the SDK's native tests bind a fake.
type hostCalls interface {
	// kubeRequest, cacheGet and cacheList answer the length of a pending answer.
	kubeRequest(payload []byte) int32
	cacheGet(payload []byte) int32
	cacheList(payload []byte) int32
	// responseRead copies the pending answer into buf; -1 when its length is not len(buf).
	responseRead(buf []byte) int32
	setResult(payload []byte)
	log(payload []byte)
	// trap ends the current call with a WebAssembly trap; it does not return.
	trap()
}

var host hostCalls

// ask sends request (encoded as JSON) through one of the answering imports and decodes the answer.
func ask(call func([]byte) int32, what string, request any) (any, error) {
	payload, err := MarshalJSON(request)
	if err != nil {
		return nil, errors.New(what + ": " + err.Error())
	}
	n := call(payload)
	if n < 0 {
		return nil, errors.New(what + ": the host answered a negative length")
	}
	answer := make([]byte, n)
	if n > 0 && host.responseRead(answer) != n {
		return nil, errors.New(what + ": response_read did not copy the answer")
	}
	v, err := ParseJSON(answer)
	if err != nil {
		return nil, errors.New(what + ": the host's answer is not JSON: " + err.Error())
	}
	return v, nil
}

// send encodes payload for an import that answers nothing (set_result, log). Values that do
// not encode were checked by the caller, so a failure here is a bug in the SDK.
func encodeOrPanic(payload any) []byte {
	b, err := MarshalJSON(payload)
	if err != nil {
		panic("wasm-operator SDK: " + err.Error())
	}
	return b
}
