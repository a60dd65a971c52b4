package postgres

import "time"

// SetWatchHeartbeat lets tests shorten the watch's heartbeat and ping
// timeout; the returned function restores them.
func SetWatchHeartbeat(every, timeout time.Duration) (restore func()) {
	oldEvery, oldTimeout := watchHeartbeat, watchPingTimeout
	watchHeartbeat, watchPingTimeout = every, timeout
	return func() { watchHeartbeat, watchPingTimeout = oldEvery, oldTimeout }
}
