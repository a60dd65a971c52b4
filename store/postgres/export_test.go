package postgres

import "time"

// SetWatchHeartbeat lets tests shorten the watch's heartbeat and ping
// timeout; the returned function restores them.
func SetWatchHeartbeat(every, timeout time.Duration) (restore func()) {
	oldEvery, oldTimeout := watchHeartbeat, watchPingTimeout
	watchHeartbeat, watchPingTimeout = every, timeout
	return func() { watchHeartbeat, watchPingTimeout = oldEvery, oldTimeout }
}

// AcquireCount is how many times b took a connection from its pool.
func AcquireCount(b *Backend) int64 { return b.pool.Stat().AcquireCount() }
