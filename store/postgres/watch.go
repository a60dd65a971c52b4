package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"

	"github.com/jackc/pgx/v5"
)

// WatchApplicationName is the application_name of the session Watch
// listens on, as pg_stat_activity shows it (PostgreSQL keeps 63 bytes).
func WatchApplicationName(schema string) string {
	n := "vap store watch " + schema
	if len(n) > 63 {
		n = n[:63]
	}
	return n
}

// Watch implements store.Watcher with LISTEN on a dedicated connection: the
// table's trigger NOTIFYs on every committed change, and PostgreSQL delivers
// the notification to every listener right after the commit. The channel
// closes when ctx is done or the connection fails.
func (b *Backend) Watch(ctx context.Context) (<-chan string, error) {
	conn, err := pgx.ConnectConfig(ctx, b.listen)
	if err != nil {
		return nil, b.fail("watch", err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		conn.Close(context.Background())
		return nil, b.fail("watch", err)
	}
	ch := make(chan string, 64)
	go func() {
		defer close(ch)
		defer conn.Close(context.Background())
		for {
			n, err := conn.WaitForNotification(ctx)
			if err != nil {
				return
			}
			name, ok := b.decode(n.Payload)
			if !ok {
				continue
			}
			select {
			case ch <- name:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch, nil
}

// decode reads a notification payload. It reports false for another
// schema's change, and "" (anything may have changed) when the payload names
// no record or cannot be read.
func (b *Backend) decode(payload string) (string, bool) {
	var p struct {
		Schema string  `json:"schema"`
		Name   *string `json:"name"`
	}
	if err := json.Unmarshal([]byte(payload), &p); err != nil {
		return "", true
	}
	if p.Schema != b.schema {
		return "", false
	}
	if p.Name == nil {
		return "", true
	}
	name, err := hex.DecodeString(*p.Name)
	if err != nil || len(name) == 0 {
		return "", true
	}
	return string(name), true
}
