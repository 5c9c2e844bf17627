module wasm-operator.dev/test/runtime-probe

go 1.24
