//go:build !race

package testenv

// Race reports whether the program was built with the race detector.
const Race = false
