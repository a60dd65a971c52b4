package server

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vapsql/vap/stdlib"
	"github.com/vapsql/vap/store"
)

type requestKey struct{}

func withRequest(ctx context.Context, info *request) context.Context {
	return context.WithValue(ctx, requestKey{}, info)
}

// setName records the connection a request is about, for the log line.
func setName(r *http.Request, name string) {
	if info, ok := r.Context().Value(requestKey{}).(*request); ok {
		info.name = name
	}
}

// readBody reads the whole body, or fails with 413 past MaxBody.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, errorf(http.StatusRequestEntityTooLarge, fmt.Sprintf("request body is larger than %d bytes", MaxBody))
	}
	if err != nil {
		return nil, errorf(http.StatusBadRequest, "cannot read the request body")
	}
	if !utf8.Valid(b) {
		// encoding/json would turn the bad bytes into U+FFFD, silently
		// renaming a connection.
		return nil, errorf(http.StatusBadRequest, "the request body is not valid UTF-8")
	}
	return b, nil
}

// nameArg reads the connection name: ?name= on GET, else a body
// {"name": …} ("connection_name" is accepted instead, never both).
func nameArg(r *http.Request) (string, error) {
	if r.Method == http.MethodGet {
		name := r.URL.Query().Get("name")
		if name == "" {
			return "", errorf(http.StatusBadRequest, "give the connection as ?name=NAME")
		}
		return name, store.ValidateName(name)
	}
	body, err := readBody(r)
	if err != nil {
		return "", err
	}
	var top map[string]json.RawMessage
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(&top); err != nil || d.More() {
		return "", errorf(http.StatusBadRequest, `the body must be a JSON object {"name": "…"}`)
	}
	_, hasName := top["name"]
	_, hasConnName := top["connection_name"]
	if hasName && hasConnName {
		return "", errorf(http.StatusBadRequest, `the body has both "name" and "connection_name": give only one`)
	}
	var name string
	for k, v := range top {
		if k != "name" && k != "connection_name" {
			return "", errorf(http.StatusBadRequest, fmt.Sprintf("unknown key %q (expected name)", k))
		}
		if err := json.Unmarshal(v, &name); err != nil {
			return "", errorf(http.StatusBadRequest, fmt.Sprintf("%q must be a string", k))
		}
	}
	if err := store.ValidateName(name); err != nil {
		return "", err
	}
	return name, nil
}

// payload decodes the platform's create body.
func payload(r *http.Request) (*store.Connection, error) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	return store.DecodePayload(bytes.NewReader(body))
}

// summary is what create, update and list report about a connection.
type summary struct {
	Name      string     `json:"name"`
	Type      string     `json:"connection_type"`
	Version   int64      `json:"version"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

func summarize(c *store.Connection) summary {
	s := summary{Name: c.Name, Type: c.Type, Version: c.Version}
	if !c.CreatedAt.IsZero() {
		s.CreatedAt, s.UpdatedAt = &c.CreatedAt, &c.UpdatedAt
	}
	return s
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	c, err := payload(r)
	if err != nil {
		writeError(w, err)
		return
	}
	setName(r, c.Name)
	if err := s.st.Create(r.Context(), c); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, summarize(c))
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	cs, err := s.st.List(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]summary, 0, len(cs))
	for _, c := range cs {
		out = append(out, summarize(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": out})
}

func (s *Server) show(w http.ResponseWriter, r *http.Request) {
	name, err := nameArg(r)
	if err != nil {
		writeError(w, err)
		return
	}
	setName(r, name)
	c, err := s.st.Get(r.Context(), name)
	if err != nil {
		writeError(w, err)
		return
	}
	b, err := store.EncodePayload(c, false) // secrets as ********
	if err != nil {
		writeError(w, err)
		return
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		writeError(w, err)
		return
	}
	out["version"] = c.Version
	out["created_at"], out["updated_at"] = c.CreatedAt, c.UpdatedAt
	writeJSON(w, http.StatusOK, out)
}

// update replaces a connection with the body's. An If-Match header holding
// the version read makes it a compare-and-swap (409 if another writer got
// there first); without it the current version is replaced. A secret sent
// as ******** (what show returns) keeps the stored secret.
func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	c, err := payload(r)
	if err != nil {
		writeError(w, err)
		return
	}
	setName(r, c.Name)
	m := r.Header.Get("If-Match")
	if m == "" {
		// Replace reads no stored secret but those sent as ******** to
		// keep: a connection whose secrets no longer open is replaceable.
		err = s.st.Replace(r.Context(), c)
	} else {
		v, perr := strconv.ParseInt(strings.Trim(m, `"`), 10, 64)
		if perr != nil || v < 1 {
			writeError(w, errorf(http.StatusBadRequest, "If-Match must hold the version read, a positive integer"))
			return
		}
		c.Version = v
		err = s.st.Update(r.Context(), c)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, summarize(c))
}

func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	name, err := nameArg(r)
	if err != nil {
		writeError(w, err)
		return
	}
	setName(r, name)
	if err := s.st.Delete(r.Context(), name); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"deleted": name})
}

// test opens the connection and pings it. A database that refuses answers
// 502 with the driver's error, scrubbed of the connection's secrets.
func (s *Server) test(w http.ResponseWriter, r *http.Request) {
	name, err := nameArg(r)
	if err != nil {
		writeError(w, err)
		return
	}
	setName(r, name)
	ctx := r.Context() // bounded by Config.TestTimeout, resolving included
	conn, err := stdlib.NewConnectorContext(ctx, name, stdlib.WithStore(s.st))
	if err != nil {
		var ce *stdlib.ConnectError
		if errors.As(err, &ce) && status(err) == http.StatusInternalServerError {
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error(), "step": ce.Step()})
			return
		}
		if status(err) == http.StatusInternalServerError {
			err = errorf(http.StatusBadGateway, err.Error())
		}
		writeError(w, err)
		return
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	start := time.Now()
	if err := db.PingContext(ctx); err != nil {
		var ce *stdlib.ConnectError
		if errors.As(err, &ce) {
			// Which step failed: reference resolution, token minting,
			// network, TLS, authentication, server.
			writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error(), "step": ce.Step()})
			return
		}
		writeError(w, errorf(http.StatusBadGateway, err.Error()))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"ok": true, "name": name, "connection_type": conn.Type().Name,
		"elapsed_ms": time.Since(start).Milliseconds(),
	})
}
