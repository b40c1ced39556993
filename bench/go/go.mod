module github.com/letts-project/libletts/bench/go

go 1.19

require github.com/letts-project/libletts/bindings/go v0.0.0

replace github.com/letts-project/libletts/bindings/go => ../../bindings/go
