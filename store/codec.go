package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/vapsql/vap/registry"
)

// MaxPayload is the largest payload DecodePayload reads.
const MaxPayload = 1 << 20

// DecodePayload reads the platform's create body:
//
//	{"name": "my-postgres-connection",
//	 "connection_data": {"connection_type": "postgresql", "user_name": "ben",
//	   "password": {"value": "secret-password", "encrypt": true},
//	   "host": "localhost", "port": 5432, "dbname": "test"}}
//
// A field may instead name where its value is found at connect time,
// {"ref": "env:PGPASSWORD"} (see Field and package credential).
//
// "connection_name" is accepted for "name" (a payload with both is
// refused). Plain values may be strings,
// numbers or booleans; {"value": …, "encrypt": true} marks a secret; an
// "options" object carries driver options. Errors never quote values.
func DecodePayload(r io.Reader) (*Connection, error) {
	raw, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	if err := checkJSON(raw); err != nil {
		return nil, &InvalidError{Err: err}
	}
	var top map[string]json.RawMessage
	if err := strictUnmarshal(raw, &top); err != nil {
		return nil, &InvalidError{Err: fmt.Errorf("payload is not a JSON object: %w", err)}
	}
	_, hasName := top["name"]
	_, hasConnName := top["connection_name"]
	if hasName && hasConnName {
		return nil, &InvalidError{Err: errors.New(`payload has both "name" and "connection_name": give only one`)}
	}
	var name string
	var data json.RawMessage
	for k, v := range top {
		switch k {
		case "name", "connection_name":
			if err := json.Unmarshal(v, &name); err != nil {
				return nil, &InvalidError{Err: fmt.Errorf("%q must be a string", k)}
			}
		case "connection_data":
			data = v
		case "source", "version", "created_at", "updated_at":
			// What show prints about a stored connection: ignored, so that
			// show's output can be sent back (show | create --replace).
		default:
			return nil, &InvalidError{Err: fmt.Errorf("unknown key %q in payload (expected name, connection_data)", k)}
		}
	}
	if data == nil {
		return nil, &InvalidError{Name: name, Err: errors.New(`payload has no "connection_data" object`)}
	}
	if err := ValidateName(name); err != nil {
		return nil, err
	}
	return DecodeConnectionData(name, bytes.NewReader(data))
}

// DecodeConnectionData reads a connection_data object (the value of
// VAP_CONN_<NAME>) for connection name.
func DecodeConnectionData(name string, r io.Reader) (*Connection, error) {
	raw, err := readLimited(r)
	if err != nil {
		return nil, err
	}
	if err := checkJSON(raw); err != nil {
		return nil, &InvalidError{Name: name, Err: err}
	}
	var obj map[string]json.RawMessage
	if err := strictUnmarshal(raw, &obj); err != nil {
		return nil, &InvalidError{Name: name, Err: fmt.Errorf("connection_data is not a JSON object: %w", err)}
	}
	c := &Connection{Name: name, Fields: map[string]Field{}}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		v := obj[k]
		switch k {
		case "connection_type":
			if err := json.Unmarshal(v, &c.Type); err != nil || strings.TrimSpace(c.Type) == "" {
				return nil, &InvalidError{Name: name, Err: errors.New(`"connection_type" must be a non-empty string`)}
			}
		case "options":
			var opts map[string]json.RawMessage
			if err := strictUnmarshal(v, &opts); err != nil {
				return nil, &InvalidError{Name: name, Err: errors.New(`"options" must be an object of plain values`)}
			}
			for ok, ov := range opts {
				s, err := scalar(ov)
				if err != nil {
					return nil, &InvalidError{Name: name, Err: fmt.Errorf("option %q: %w", ok, err)}
				}
				c.Set(registry.OptionPrefix+ok, s, false)
			}
		default:
			if strings.HasPrefix(k, registry.OptionPrefix) {
				return nil, &InvalidError{Name: name, Err: fmt.Errorf("field %q: put driver options in the \"options\" object", k)}
			}
			f, err := field(v)
			if err != nil {
				return nil, &InvalidError{Name: name, Err: fmt.Errorf("field %q: %w", k, err)}
			}
			if f.Ref {
				c.SetRef(k, f.Value)
			} else {
				c.Set(k, f.Value, f.Secret)
			}
		}
	}
	if c.Type == "" {
		return nil, &InvalidError{Name: name, Err: errors.New(`connection_data has no "connection_type"`)}
	}
	return c, nil
}

// EncodePayload writes c as the platform's create body. Secrets are written
// as Redacted unless reveal is true; references as {"ref": "SCHEME:REST"}.
func EncodePayload(c *Connection, reveal bool) ([]byte, error) {
	data := map[string]any{"connection_type": c.Type}
	opts := map[string]any{}
	for k, f := range c.Fields {
		var v any = f.Value
		if k == "port" {
			if n, err := strconv.Atoi(f.Value); err == nil {
				v = n
			}
		}
		if f.Ref {
			v = map[string]any{"ref": f.Value}
		} else if f.Secret {
			s := Redacted
			if reveal {
				s = f.Value
			}
			v = map[string]any{"value": s, "encrypt": true}
		}
		if o, ok := strings.CutPrefix(k, registry.OptionPrefix); ok {
			opts[o] = v
			continue
		}
		data[k] = v
	}
	if len(opts) > 0 {
		data["options"] = opts
	}
	return json.Marshal(map[string]any{"name": c.Name, "connection_data": data})
}

func field(v json.RawMessage) (Field, error) {
	if t := bytes.TrimSpace(v); len(t) > 0 && t[0] == '{' {
		var obj map[string]json.RawMessage
		if err := strictUnmarshal(v, &obj); err != nil {
			return Field{}, errors.New("is not a valid object")
		}
		var f Field
		if raw, ok := obj["ref"]; ok {
			if len(obj) != 1 {
				return Field{}, errors.New(`the reference form is {"ref": "SCHEME:REST"} alone (a reference is sealed by the store; "value" and "encrypt" do not go with it)`)
			}
			if err := json.Unmarshal(raw, &f.Value); err != nil {
				return Field{}, errors.New(`"ref" must be a string "SCHEME:REST"`)
			}
			f.Ref = true
			return f, nil
		}
		raw, ok := obj["value"]
		if !ok {
			return Field{}, errors.New(`object form needs a "value" (or is {"ref": "SCHEME:REST"})`)
		}
		s, err := scalar(raw)
		if err != nil {
			return Field{}, err
		}
		f.Value = s
		for k, ov := range obj {
			switch k {
			case "value":
			case "encrypt":
				if err := json.Unmarshal(ov, &f.Secret); err != nil {
					return Field{}, errors.New(`"encrypt" must be true or false`)
				}
			default:
				return Field{}, fmt.Errorf("unknown key %q (expected value, encrypt)", k)
			}
		}
		return f, nil
	}
	s, err := scalar(v)
	return Field{Value: s}, err
}

// scalar turns a JSON string, number or boolean into its text.
func scalar(v json.RawMessage) (string, error) {
	d := json.NewDecoder(bytes.NewReader(v))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return "", errors.New("is not valid JSON")
	}
	switch x := x.(type) {
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case bool:
		return strconv.FormatBool(x), nil
	case nil:
		return "", errors.New("is null; omit the field instead")
	default:
		return "", errors.New("must be a string, number or boolean")
	}
}

func strictUnmarshal(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return jsonErr(err)
	}
	if d.More() {
		return errors.New("trailing data after the JSON value")
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// jsonErr keeps the position of a syntax error but drops any quoted input,
// which could be a secret.
func jsonErr(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("JSON syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("JSON %s where %s was expected", te.Value, te.Type)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("JSON ends too early")
	}
	return errors.New("malformed JSON")
}

func readLimited(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxPayload+1))
	if err != nil {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	if len(raw) > MaxPayload {
		return nil, &InvalidError{Err: fmt.Errorf("payload is larger than %d bytes", MaxPayload)}
	}
	return raw, nil
}
