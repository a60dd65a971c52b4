package arrowrows

import (
	"math/bits"
	"sync"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// recycler is an Arrow allocator that reuses the buffers Arrow frees: a
// file writer allocates the same large buffers (a record batch's columns,
// the encoder's scratch) again and again, and Go's allocator pays for each
// one with fresh pages, zeroing them and collecting them. Buffers of 4 KiB
// and more are kept in power-of-two size classes, at most maxPooled bytes
// in all, and zeroed when handed out again (Arrow expects zeroed memory);
// smaller ones come from Go's allocator. It is safe for concurrent use.
// One lives as long as one WriteFile call.
type recycler struct {
	mu     sync.Mutex
	free   [maxClass + 1][][]byte
	pooled int
	limit  int // the most bytes pooled; 0 means maxPooled
}

const (
	minClass   = 12 // 4 KiB
	maxClass   = 30 // 1 GiB
	maxPooled  = 256 << 20
	alignBytes = 64 // Arrow's buffer alignment
)

var _ memory.Allocator = (*recycler)(nil)

// class returns the size class of n bytes (its power of two), 0 for a size
// not pooled.
func class(n int) int {
	if n < 1<<minClass || n > 1<<maxClass {
		return 0
	}
	return bits.Len(uint(n - 1))
}

func (r *recycler) Allocate(size int) []byte {
	c := class(size)
	if c == 0 {
		return alignedMake(size, size)
	}
	r.mu.Lock()
	if l := r.free[c]; len(l) > 0 {
		b := l[len(l)-1]
		r.free[c] = l[:len(l)-1]
		r.pooled -= cap(b)
		r.mu.Unlock()
		// Zeroed up to size; Reallocate zeroes the rest when it
		// hands it out.
		clear(b[:size])
		return b[:size]
	}
	r.mu.Unlock()
	return alignedMake(size, 1<<c)
}

func (r *recycler) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		if size > len(b) {
			clear(b[len(b):size]) // past what Allocate zeroed
		}
		return b[:size]
	}
	nb := r.Allocate(size)
	copy(nb, b)
	r.Free(b)
	return nb
}

// Free takes back a buffer Allocate or Reallocate returned; its capacity
// is its size class.
func (r *recycler) Free(b []byte) {
	n := cap(b)
	c := class(n)
	if c == 0 || n != 1<<c || uintptr(unsafe.Pointer(unsafe.SliceData(b[:1])))%alignBytes != 0 {
		return // not ours to keep (a small buffer)
	}
	r.mu.Lock()
	limit := r.limit
	if limit == 0 {
		limit = maxPooled
	}
	if r.pooled+n <= limit {
		r.free[c] = append(r.free[c], b[:0])
		r.pooled += n
	}
	r.mu.Unlock()
}

// alignedMake returns a zeroed buffer of length size and capacity capacity
// starting on a 64-byte boundary.
func alignedMake(size, capacity int) []byte {
	buf := make([]byte, capacity+alignBytes)
	shift := 0
	if m := int(uintptr(unsafe.Pointer(unsafe.SliceData(buf))) % alignBytes); m != 0 {
		shift = alignBytes - m
	}
	return buf[shift : shift+size : shift+capacity]
}
