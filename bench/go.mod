module github.com/redlite/redlite/bench

go 1.26.0
