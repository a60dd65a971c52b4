package arrowrows

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

func dirty(b []byte) {
	for i := range b[:cap(b)] {
		b[:cap(b)][i] = 0xAB
	}
}

func zero(t *testing.T, what string, b []byte) {
	t.Helper()
	for i, c := range b {
		if c != 0 {
			t.Errorf("%s: byte %d of %d is %#x, want 0", what, i, len(b), c)
			return
		}
	}
}

// TestRecyclerReusesZeroed: a freed buffer is handed out again, 64-byte
// aligned and zeroed over the length asked for, also when Reallocate grows
// it within its size class after a smaller Allocate; small buffers and
// buffers over the pool's limit are left to the garbage collector.
func TestRecyclerReusesZeroed(t *testing.T) {
	r := new(recycler)
	a := r.Allocate(5000)
	if len(a) != 5000 || cap(a) != 5120 || uintptr(unsafe.Pointer(&a[0]))%64 != 0 {
		t.Fatalf("Allocate(5000): len %d cap %d", len(a), cap(a))
	}
	zero(t, "fresh", a)
	dirty(a)
	r.Free(a)
	b := r.Allocate(4700) // same class: the same memory
	if &b[0] != &a[0] {
		t.Fatal("a freed buffer was not reused")
	}
	zero(t, "reused", b)
	dirty(b)
	b = r.Reallocate(3000, b) // shrink within the class
	c := r.Reallocate(5100, b)
	if &c[0] != &a[0] {
		t.Fatal("Reallocate within the class moved the buffer")
	}
	zero(t, "regrown", c[3000:])
	if classSize(4096) != 4096 || classSize(4097) != 5120 || classSize(1<<20+1) != 1<<20+1<<18 || classSize(100) != 0 {
		t.Errorf("class sizes %d %d %d %d", classSize(4096), classSize(4097), classSize(1<<20+1), classSize(100))
	}

	// Growing past the class moves to a new buffer, keeps the bytes and
	// frees the old one.
	c[0] = 7
	d := r.Reallocate(20000, c)
	if d[0] != 7 || cap(d) != 20480 {
		t.Fatalf("grown: first byte %d, cap %d", d[0], cap(d))
	}
	zero(t, "grown", d[5100:])
	if e := r.Allocate(5000); &e[0] != &a[0] {
		t.Fatal("Reallocate did not free the old buffer")
	}

	small := r.Allocate(100)
	r.Free(small)
	if r.pooled != 0 {
		t.Fatalf("a 100-byte buffer was pooled (%d bytes)", r.pooled)
	}
	r = &recycler{limit: 64 << 10}
	var held [][]byte
	for range 5 {
		held = append(held, r.Allocate(16<<10))
	}
	for _, b := range held {
		r.Free(b)
	}
	if r.pooled != 64<<10 || len(r.free[16<<10]) != 4 {
		t.Fatalf("%d bytes in %d buffers pooled, want the limit, %d", r.pooled, len(r.free[16<<10]), 64<<10)
	}
}

// TestRecyclerConcurrent: a producer allocating and a consumer freeing at
// once (the file writer's pipeline), under -race.
func TestRecyclerConcurrent(t *testing.T) {
	r := new(recycler)
	ch := make(chan *memory.Buffer, 4)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := range ch {
			zero(t, "handed over", b.Bytes()[1:])
			b.Release()
		}
	}()
	for i := range 200 {
		b := memory.NewResizableBuffer(r)
		b.Resize(4096 << (i % 5))
		b.Bytes()[0] = 1
		ch <- b
	}
	close(ch)
	wg.Wait()
}
