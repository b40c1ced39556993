module github.com/letts-project/libletts/bindings/go

go 1.19
