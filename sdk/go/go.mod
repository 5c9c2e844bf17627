module wasm-operator.dev/operator

go 1.24
