package main

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
)

// sqlError is an error of a statement whose text is known, so a server
// error that points into the text can be shown where it points.
type sqlError struct {
	err error
	sql string
}

func (e *sqlError) Error() string { return e.err.Error() }
func (e *sqlError) Unwrap() error { return e.err }

// errorContext returns the lines printed under an error's message: for a
// PostgreSQL error with a position in the statement, the statement's line
// and a caret under the character, as psql prints them.
func errorContext(err error) []string {
	var se *sqlError
	var pe *pgconn.PgError
	if !errors.As(err, &se) || !errors.As(err, &pe) || pe.Position <= 0 {
		return nil
	}
	line, col, text, ok := position(se.sql, int(pe.Position))
	if !ok {
		return nil
	}
	prefix := "LINE " + strconv.Itoa(line) + ": "
	indent := len(prefix) + utf8.RuneCountInString(escape(firstRunes(text, col-1)))
	return []string{prefix + escape(text), strings.Repeat(" ", indent) + "^"}
}

// position finds the 1-based character position pos (PostgreSQL counts
// characters) in sql: its line number, its column in the line (1-based,
// in characters) and the line's text.
func position(sql string, pos int) (line, col int, text string, ok bool) {
	line, col = 1, 1
	start := 0
	n := 1
	for i, r := range sql {
		if n == pos {
			end := strings.IndexByte(sql[start:], '\n')
			if end < 0 {
				end = len(sql) - start
			}
			return line, col, strings.TrimRight(sql[start:start+end], "\r"), true
		}
		n++
		col++
		if r == '\n' {
			line++
			col = 1
			start = i + 1
		}
	}
	return 0, 0, "", false
}

// firstRunes returns s's first n characters.
func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
