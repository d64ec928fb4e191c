module github.com/redlite/redlite/bench

go 1.26.0

require github.com/redlite/redlite/core v0.0.0

require github.com/mattn/go-sqlite3 v1.14.53 // indirect

replace github.com/redlite/redlite/core => ../core
