package hub

import (
	"bufio"
	"strings"
	"testing"
	"time"
)

// FuzzEvents reads arbitrary bytes as the hub's event stream: no panic,
// and every event read was terminated by a blank line.
func FuzzEvents(f *testing.F) {
	for _, s := range []string{
		"event: live\ndata: {\"heartbeat_ms\":5000}\n\n",
		": ping\n\nevent: change\ndata: {\"name\":\"6f7264657273\"}\n\n",
		"event: change\r\ndata: {}\r\n\r\n",
		"data: a\ndata: b\n\n",
		"event: change\ndata: " + strings.Repeat("x", maxLine) + "\n\n",
		"\n\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		timer := time.NewTimer(time.Hour)
		defer timer.Stop()
		ev := &events{r: bufio.NewReaderSize(strings.NewReader(s), maxLine)}
		for range 1000 {
			if _, _, err := ev.next(timer, time.Hour); err != nil {
				return
			}
		}
	})
}
