// Package peerproc runs a local protocol peer in a child process of a test,
// so the test's process holds only the client: a heap measured there is the
// driver's alone, and the peer's goroutines and sockets cannot mask the
// client's.
//
// The child is the test binary itself, started again with an environment
// variable set. Its TestMain sees the variable (Child) and, instead of
// running the tests, serves a peer (Serve): it writes where the peer listens
// as one JSON line on standard output and serves until its standard input
// closes. The parent (Start, StartAs) reads that line, and at the end of the
// test closes the child's standard input and waits for it to exit, killing
// it when it does not stop in time.
//
//	func TestMain(m *testing.M) {
//		if peerproc.Child(envPeer) {
//			os.Exit(peerproc.Serve(func(ctx context.Context, w io.Writer) error {
//				return mypeer.Serve(ctx, mypeer.Config{Token: os.Getenv(envToken)}, w)
//			}))
//		}
//		os.Exit(m.Run())
//	}
//
//	func TestSomething(t *testing.T) {
//		a := peerproc.StartAs[mypeer.Address](t, envPeer, envToken+"="+token)
//		...
//	}
package peerproc
