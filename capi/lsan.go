//go:build asan && !redlite_lib

package main

// LeakSanitizer's check, for leak_asan_test.go (built with go test -asan,
// whose C runtime is AddressSanitizer's).

/*
#include <sanitizer/lsan_interface.h>
*/
import "C"

// lsanLeaks runs a leak check now and reports whether it found leaks (the
// report goes to stderr); the process goes on.
func lsanLeaks() bool { return C.__lsan_do_recoverable_leak_check() != 0 }
