module wasm-operator.dev/examples/ring

go 1.24

require wasm-operator.dev/operator v0.0.0
