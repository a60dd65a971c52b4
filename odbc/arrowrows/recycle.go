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
// and more are kept in size classes (four per power of two, so that a
// buffer wastes at most a fifth of itself), at most maxPooled bytes in
// all, and zeroed when handed out again (Arrow expects zeroed memory);
// smaller ones come from Go's allocator. It is safe for concurrent use.
// One lives as long as one WriteFile call.
type recycler struct {
	mu     sync.Mutex
	free   map[int][][]byte // by class size
	pooled int
	limit  int // the most bytes pooled; 0 means maxPooled
}

const (
	minPooled  = 4 << 10
	maxPooled  = 24 << 20
	alignBytes = 64 // Arrow's buffer alignment
)

var _ memory.Allocator = (*recycler)(nil)

// classSize returns the size of the class of n bytes (the least of
// 2^e·(1+k/4) at least n), 0 for a size not pooled.
func classSize(n int) int {
	if n < minPooled || n > 1<<40 {
		return 0
	}
	top := 1 << bits.Len(uint(n-1)) // n <= top
	step := top / 8                 // a quarter of the octave top/2..top
	return (n + step - 1) / step * step
}

func (r *recycler) Allocate(size int) []byte {
	c := classSize(size)
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
	return alignedMake(size, c)
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
// is its class size.
func (r *recycler) Free(b []byte) {
	n := cap(b)
	if n == 0 || classSize(n) != n || uintptr(unsafe.Pointer(unsafe.SliceData(b[:1])))%alignBytes != 0 {
		return // not ours to keep (a small buffer)
	}
	r.mu.Lock()
	limit := r.limit
	if limit == 0 {
		limit = maxPooled
	}
	if r.pooled+n <= limit {
		if r.free == nil {
			r.free = make(map[int][][]byte)
		}
		r.free[n] = append(r.free[n], b[:0])
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
