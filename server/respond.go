package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/vapsql/vap/registry"
	"github.com/vapsql/vap/store"
)

// apiError is an error with the HTTP status it answers.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

func errorf(status int, msg string) error { return &apiError{status: status, msg: msg} }

// status maps an error to its HTTP status.
func status(err error) int {
	var ae *apiError
	var ute *registry.UnknownTypeError
	switch {
	case errors.As(err, &ae):
		return ae.status
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrExists), errors.Is(err, store.ErrConflict):
		return http.StatusConflict
	case errors.Is(err, store.ErrInvalid), errors.As(err, &ute):
		return http.StatusBadRequest
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusGatewayTimeout
	}
	return http.StatusInternalServerError
}

// writeJSON writes v with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// writeError answers {"error": err} with err's status. Store and driver
// errors hold no secret by construction; the message is scrubbed again by
// the caller when it may quote a stored connection's secrets.
func writeError(w http.ResponseWriter, err error) int {
	code := status(err)
	msg := err.Error()
	if code == http.StatusInternalServerError {
		var ae *apiError
		if !errors.As(err, &ae) {
			msg = "internal error: " + msg
		}
	}
	writeJSON(w, code, map[string]string{"error": msg})
	return code
}
