module wasm-operator.dev/examples/webapp

go 1.24

require wasm-operator.dev/operator v0.0.0
