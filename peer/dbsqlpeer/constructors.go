package dbsqlpeer

import (
	"fmt"
	"strings"

	"github.com/vapsql/vap/peer/dbsqlpeer/internal/tcli"
	"github.com/vapsql/vap/peer/sqltext"
)

// The Spark constructors of complex values the peer reads; see complex.go.
var constructors = map[string]bool{"array": true, "map": true, "named_struct": true, "struct": true}

// constructorAt reads the constructor call at toks[i]: its name (lower
// case), its arguments (token slices, spaces trimmed) and the index of the
// closing parenthesis. An empty list is a call (array()).
func constructorAt(toks []sqltext.Token, i int) (name string, args [][]sqltext.Token, end int, ok bool) {
	t := toks[i]
	if t.Kind != sqltext.Word || !constructors[strings.ToLower(t.Text)] {
		return "", nil, 0, false
	}
	open := sqltext.NextSolid(toks, i+1)
	if open >= len(toks) || !toks[open].IsPunct('(') {
		return "", nil, 0, false
	}
	depth, from := 0, open+1
	for j := open; j < len(toks); j++ {
		switch {
		case toks[j].IsPunct('('):
			depth++
		case toks[j].IsPunct(')'):
			depth--
			if depth == 0 {
				if a := trimSpace(toks[from:j]); len(a) > 0 {
					args = append(args, a)
				} else if len(args) > 0 {
					return "", nil, 0, false // array(1, )
				}
				return strings.ToLower(t.Text), args, j, true
			}
		case depth == 1 && toks[j].IsPunct(','):
			a := trimSpace(toks[from:j])
			if len(a) == 0 {
				return "", nil, 0, false
			}
			args = append(args, a)
			from = j + 1
		}
	}
	return "", nil, 0, false
}

func trimSpace(toks []sqltext.Token) []sqltext.Token {
	for len(toks) > 0 && toks[0].Kind == sqltext.Space {
		toks = toks[1:]
	}
	for len(toks) > 0 && toks[len(toks)-1].Kind == sqltext.Space {
		toks = toks[:len(toks)-1]
	}
	return toks
}

func solid(toks []sqltext.Token) []sqltext.Token {
	out := make([]sqltext.Token, 0, len(toks))
	for _, t := range toks {
		if t.Kind != sqltext.Space {
			out = append(out, t)
		}
	}
	return out
}

// isConstructor reports whether the tokens (without spaces) are exactly one
// constructor call.
func isConstructor(item []sqltext.Token) bool {
	_, _, end, ok := constructorAt(item, 0)
	return ok && end == len(item)-1
}

// constructorType is the Spark type of the constructor call item (tokens
// without spaces).
func constructorType(item []sqltext.Token) (sparkType, error) {
	name, args, _, _ := constructorAt(item, 0)
	types := make([]sparkType, len(args))
	for i, a := range args {
		var err error
		if types[i], err = argType(solid(a)); err != nil {
			return sparkType{}, err
		}
	}
	switch name {
	case "array":
		elem := typeNull
		for i, t := range types {
			var err error
			if elem, err = widen(elem, t); err != nil {
				return sparkType{}, fmt.Errorf("array element %d: %w", i+1, err)
			}
		}
		return arrayOf(elem), nil
	case "map":
		if len(args)%2 != 0 {
			return sparkType{}, fmt.Errorf("map() takes keys and values in pairs, got %d arguments", len(args))
		}
		key, val := typeNull, typeNull
		for i := 0; i < len(types); i += 2 {
			var err error
			if key, err = widen(key, types[i]); err != nil {
				return sparkType{}, fmt.Errorf("map key %d: %w", i/2+1, err)
			}
			if val, err = widen(val, types[i+1]); err != nil {
				return sparkType{}, fmt.Errorf("map value %d: %w", i/2+1, err)
			}
		}
		return mapOf(key, val), nil
	case "named_struct":
		if len(args)%2 != 0 {
			return sparkType{}, fmt.Errorf("named_struct() takes names and values in pairs, got %d arguments", len(args))
		}
		t := sparkType{id: tcli.TTypeId_STRUCT_TYPE}
		for i := 0; i < len(args); i += 2 {
			n := solid(args[i])
			if len(n) != 1 || n[0].Kind != sqltext.String {
				return sparkType{}, fmt.Errorf("named_struct() field name %d is not a string literal", i/2+1)
			}
			t.fields = append(t.fields, structField{name: unquote(n[0].Text), typ: types[i+1]})
		}
		return t, nil
	default: // struct
		t := sparkType{id: tcli.TTypeId_STRUCT_TYPE}
		for i, ft := range types {
			t.fields = append(t.fields, structField{name: fmt.Sprintf("col%d", i+1), typ: ft})
		}
		return t, nil
	}
}

// unquote reads a '…' string literal.
func unquote(s string) string {
	return strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(s, "'"), "'"), "''", "'")
}

// argType is the type a constructor argument's text fixes (see
// complex.go); STRING when it fixes none.
func argType(a []sqltext.Token) (sparkType, error) {
	if isConstructor(a) {
		return constructorType(a)
	}
	typ, _, _, err := itemType(a)
	if err != nil {
		return sparkType{}, err
	}
	if typ != nil {
		return *typ, nil
	}
	return typeString, nil
}

// rewriteConstructors turns every constructor call into SQLite's
// json_array of its values: number literals as their text, the operand of
// a CAST to a known type without the CAST, a named_struct without its
// field names.
func rewriteConstructors(toks []sqltext.Token) []sqltext.Token {
	out := make([]sqltext.Token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		if prev := sqltext.LastSolid(out); !prev.IsPunct('.') {
			if name, args, end, ok := constructorAt(toks, i); ok {
				out = append(out, tk(sqltext.Word, "json_array"), tk(sqltext.Punct, "("))
				n := 0
				for j, a := range args {
					if name == "named_struct" && j%2 == 0 {
						continue
					}
					if n > 0 {
						out = append(out, tk(sqltext.Punct, ","), tk(sqltext.Space, " "))
					}
					out = append(out, argSQL(a)...)
					n++
				}
				out = append(out, tk(sqltext.Punct, ")"))
				i = end
				continue
			}
		}
		out = append(out, toks[i])
	}
	return out
}

// argSQL is the SQLite text of one constructor argument.
func argSQL(a []sqltext.Token) []sqltext.Token {
	s := solid(a)
	switch {
	case len(s) == 1 && s[0].Kind == sqltext.Number:
		return []sqltext.Token{tk(sqltext.String, "'"+s[0].Text+"'")}
	case len(s) == 2 && s[0].IsPunct('-') && s[1].Kind == sqltext.Number:
		return []sqltext.Token{tk(sqltext.String, "'-"+s[1].Text+"'")}
	case len(s) > 0 && s[0].Is("CAST"):
		if as, end, ok := castAt(a, sqltext.NextSolid(a, 0)); ok && end == len(a)-1 {
			if _, known := parseSparkType(sqltext.Join(a[as+1 : end])); known {
				open := sqltext.NextSolid(a, sqltext.NextSolid(a, 0)+1)
				inner := argSQL(trimSpace(a[open+1 : as]))
				return append(append([]sqltext.Token{tk(sqltext.Punct, "(")}, inner...), tk(sqltext.Punct, ")"))
			}
		}
	}
	return rewriteConstructors(a)
}
