//go:build wasip1

package operator

import "unsafe"

// The imports of docs/abi.md. A pointer argument keeps its buffer alive for the call; the host
// copies what it needs before the import returns.

//go:wasmimport wasm_operator kube_request
func importKubeRequest(ptr unsafe.Pointer, n int32) int32

//go:wasmimport wasm_operator cache_get
func importCacheGet(ptr unsafe.Pointer, n int32) int32

//go:wasmimport wasm_operator cache_list
func importCacheList(ptr unsafe.Pointer, n int32) int32

//go:wasmimport wasm_operator response_read
func importResponseRead(ptr unsafe.Pointer, n int32) int32

//go:wasmimport wasm_operator set_result
func importSetResult(ptr unsafe.Pointer, n int32)

//go:wasmimport wasm_operator log
func importLog(ptr unsafe.Pointer, n int32)

func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}

type wasmHost struct{}

func (wasmHost) kubeRequest(p []byte) int32  { return importKubeRequest(bytesPtr(p), int32(len(p))) }
func (wasmHost) cacheGet(p []byte) int32     { return importCacheGet(bytesPtr(p), int32(len(p))) }
func (wasmHost) cacheList(p []byte) int32    { return importCacheList(bytesPtr(p), int32(len(p))) }
func (wasmHost) responseRead(b []byte) int32 { return importResponseRead(bytesPtr(b), int32(len(b))) }
func (wasmHost) setResult(p []byte)          { importSetResult(bytesPtr(p), int32(len(p))) }
func (wasmHost) log(p []byte)                { importLog(bytesPtr(p), int32(len(p))) }

// trap reads far beyond the end of linear memory (which is below 4 GiB), a real WebAssembly
// trap: Go turns nil dereferences and divisions by zero into panics, and panics can be recovered.
func (wasmHost) trap() {
	var anchor byte
	_ = *(*byte)(unsafe.Add(unsafe.Pointer(&anchor), 0x7fff_fff0))
	select {} // not reached
}

func init() { host = wasmHost{} }

// Buffers handed to the host by wo_alloc, by address, so the collector keeps them until the
// export that receives them takes them back. Go's collector does not move heap objects.
var pinned = map[int32][]byte{}

// One byte for empty payloads: 0 means "out of memory" to the host.
var emptyPayload = make([]byte, 1)

//go:wasmexport wo_abi_version
func woAbiVersion() int32 { return abiVersion }

//go:wasmexport wo_alloc
func woAlloc(size int32) int32 {
	if size < 0 {
		return 0
	}
	buf := emptyPayload
	if size > 0 {
		buf = make([]byte, size)
	}
	ptr := int32(uintptr(unsafe.Pointer(&buf[0])))
	pinned[ptr] = buf[:size]
	return ptr
}

// unpin takes back the buffer wo_alloc gave for ptr, and drops any other the host never used.
func unpin(ptr, n int32) []byte {
	buf, ok := pinned[ptr]
	clear(pinned)
	if !ok || int32(len(buf)) < n || n < 0 {
		return nil
	}
	return buf[:n]
}

//go:wasmexport wo_init
func woInit(ptr, n int32) { runInit(unpin(ptr, n)) }

//go:wasmexport wo_reconcile
func woReconcile(ptr, n int32) { runReconcile(unpin(ptr, n)) }
