module github.com/redlite/redlite/bindings/go

go 1.26.0

require github.com/redlite/redlite/core v0.0.0-00010101000000-000000000000

require (
	github.com/mattn/go-sqlite3 v1.14.53
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/redlite/redlite/core => ../../core
