//go:build !linux

package keyset

// placeUnnamed needs O_TMPFILE; elsewhere the named temporary file is used.
func placeUnnamed(path string, data []byte, replace bool) error { return errNoTmpfile }
