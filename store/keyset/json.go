package keyset

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Tink writes keysets as the protocol-buffer JSON mapping of its Keyset
// and EncryptedKeyset messages (protojson, every field written). Parse and
// Unwrap read what protojson reads: field names as JSON (primaryKeyId) or
// proto (primary_key_id) names, enums by name or number, integers as
// numbers or strings, bytes as standard or URL-safe base64 with or without
// padding, null for a default; an unknown or repeated field is an error.
// Marshal and Wrap write what Tink's JSONWriter writes.

var (
	statusNames   = map[Status]string{0: "UNKNOWN_STATUS", Enabled: "ENABLED", Disabled: "DISABLED", Destroyed: "DESTROYED"}
	prefixNames   = map[Prefix]string{0: "UNKNOWN_PREFIX", PrefixTink: "TINK", PrefixLegacy: "LEGACY", PrefixRaw: "RAW", PrefixCrunchy: "CRUNCHY", 5: "WITH_ID_REQUIREMENT"}
	materialNames = map[int32]string{0: "UNKNOWN_KEYMATERIAL", materialSymmetric: "SYMMETRIC", 2: "ASYMMETRIC_PRIVATE", 3: "ASYMMETRIC_PUBLIC", 4: "REMOTE"}
)

// jsonObject reads a JSON object whose fields are named in names (JSON
// name to proto name; both are accepted) and calls fn with each field's
// JSON name and raw value; null values are skipped.
func jsonObject(raw []byte, what string, names map[string]string, fn func(name string, v json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("%s is not a JSON object", what)
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("%s: malformed JSON", what)
		}
		name, _ := t.(string)
		canon := ""
		for j, p := range names {
			if name == j || name == p {
				canon = j
			}
		}
		if canon == "" {
			return fmt.Errorf("%s: unknown field", what)
		}
		if seen[canon] {
			return fmt.Errorf("%s: field %s given twice", what, canon)
		}
		seen[canon] = true
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("%s: malformed JSON", what)
		}
		if string(v) == "null" {
			continue
		}
		if err := fn(canon, v); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("%s: malformed JSON", what)
	}
	if _, err := dec.Token(); err == nil {
		return fmt.Errorf("%s: data after the object", what)
	}
	return nil
}

func jsonArray(raw []byte, what string, fn func(v json.RawMessage) error) error {
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return fmt.Errorf("%s is not a JSON array", what)
	}
	for _, it := range items {
		if string(it) == "null" {
			return fmt.Errorf("%s: null element", what)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

func jsonUint32(raw []byte, what string) (uint32, error) {
	s := string(raw)
	if len(s) >= 2 && s[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s is not a number", what)
		}
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f >= 0 && f <= 1<<32-1 && f == float64(uint32(f)) {
			return uint32(f), nil // 1e3, 5.0
		}
		return 0, fmt.Errorf("%s is not an unsigned 32-bit integer", what)
	}
	return uint32(n), nil
}

func jsonString(raw []byte, what string) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", what)
	}
	return s, nil
}

func jsonBytes(raw []byte, what string) ([]byte, error) {
	s, err := jsonString(raw, what)
	if err != nil {
		return nil, err
	}
	enc := base64.StdEncoding
	if strings.ContainsAny(s, "-_") {
		enc = base64.URLEncoding
	}
	if len(s)%4 != 0 {
		enc = enc.WithPadding(base64.NoPadding)
	}
	b, err := enc.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("%s is not base64", what)
	}
	return b, nil
}

// jsonEnum reads an enum given by name (one of names) or number.
func jsonEnum[E ~int32](raw []byte, what string, names map[E]string) (E, error) {
	if len(raw) > 0 && raw[0] == '"' {
		s, err := jsonString(raw, what)
		if err != nil {
			return 0, err
		}
		for v, n := range names {
			if n == s {
				return v, nil
			}
		}
		return 0, fmt.Errorf("%s: unknown value", what)
	}
	n, err := strconv.ParseInt(string(raw), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("%s is not an enum name or number", what)
	}
	return E(n), nil
}

var (
	keysetFields  = map[string]string{"primaryKeyId": "primary_key_id", "key": "key"}
	keyFields     = map[string]string{"keyData": "key_data", "status": "status", "keyId": "key_id", "outputPrefixType": "output_prefix_type"}
	keyDataFields = map[string]string{"typeUrl": "type_url", "value": "value", "keyMaterialType": "key_material_type"}
	wrappedFields = map[string]string{"encryptedKeyset": "encrypted_keyset", "keysetInfo": "keyset_info"}
)

// parseJSON reads a Tink JSON keyset (not validated).
func parseJSON(data []byte) (*Keyset, error) {
	k := &Keyset{}
	err := jsonObject(data, "keyset", keysetFields, func(name string, v json.RawMessage) (err error) {
		switch name {
		case "primaryKeyId":
			k.primary, err = jsonUint32(v, "primaryKeyId")
		case "key":
			err = jsonArray(v, "key", func(v json.RawMessage) error {
				e, err := parseJSONKey(v)
				k.keys = append(k.keys, e)
				return err
			})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

func parseJSONKey(raw []byte) (key, error) {
	var e key
	hasData := false
	err := jsonObject(raw, "key", keyFields, func(name string, v json.RawMessage) (err error) {
		switch name {
		case "keyData":
			hasData = true
			err = jsonObject(v, "keyData", keyDataFields, func(name string, v json.RawMessage) (err error) {
				switch name {
				case "typeUrl":
					e.typeURL, err = jsonString(v, "typeUrl")
				case "value":
					e.value, err = jsonBytes(v, "value")
				case "keyMaterialType":
					e.materialType, err = jsonEnum(v, "keyMaterialType", materialNames)
				}
				return err
			})
		case "status":
			e.status, err = jsonEnum(v, "status", statusNames)
		case "keyId":
			e.id, err = jsonUint32(v, "keyId")
		case "outputPrefixType":
			e.prefix, err = jsonEnum(v, "outputPrefixType", prefixNames)
		}
		return err
	})
	if err == nil && !hasData {
		err = fmt.Errorf("key %d has no key data", e.id)
	}
	return e, err
}

// enumName is an enum's name, or its number when it has none (as protojson
// writes it).
func enumName[E ~int32](v E, names map[E]string) any {
	if n, ok := names[v]; ok {
		return n
	}
	return int32(v)
}

// marshalJSON writes k as Tink's JSONWriter does.
func (k *Keyset) marshalJSON() ([]byte, error) {
	type keyData struct {
		TypeURL         string `json:"typeUrl"`
		Value           string `json:"value"`
		KeyMaterialType any    `json:"keyMaterialType"`
	}
	type jkey struct {
		KeyData          keyData `json:"keyData"`
		Status           any     `json:"status"`
		KeyID            uint32  `json:"keyId"`
		OutputPrefixType any     `json:"outputPrefixType"`
	}
	out := struct {
		PrimaryKeyID uint32 `json:"primaryKeyId"`
		Key          []jkey `json:"key"`
	}{PrimaryKeyID: k.primary, Key: []jkey{}}
	for _, e := range k.keys {
		out.Key = append(out.Key, jkey{
			KeyData: keyData{TypeURL: e.typeURL, Value: base64.StdEncoding.EncodeToString(e.value),
				KeyMaterialType: enumName(e.materialType, materialNames)},
			Status: enumName(e.status, statusNames), KeyID: e.id,
			OutputPrefixType: enumName(e.prefix, prefixNames),
		})
	}
	return json.Marshal(out)
}

// marshalWrapped writes an EncryptedKeyset message as Tink's JSONWriter
// does: the ciphertext and the keyset's description without material.
func (k *Keyset) marshalWrapped(ct []byte) ([]byte, error) {
	type keyInfo struct {
		TypeURL          string `json:"typeUrl"`
		Status           any    `json:"status"`
		KeyID            uint32 `json:"keyId"`
		OutputPrefixType any    `json:"outputPrefixType"`
	}
	type info struct {
		PrimaryKeyID uint32    `json:"primaryKeyId"`
		KeyInfo      []keyInfo `json:"keyInfo"`
	}
	out := struct {
		EncryptedKeyset string `json:"encryptedKeyset"`
		KeysetInfo      info   `json:"keysetInfo"`
	}{EncryptedKeyset: base64.StdEncoding.EncodeToString(ct), KeysetInfo: info{PrimaryKeyID: k.primary, KeyInfo: []keyInfo{}}}
	for _, e := range k.keys {
		out.KeysetInfo.KeyInfo = append(out.KeysetInfo.KeyInfo, keyInfo{TypeURL: e.typeURL,
			Status: enumName(e.status, statusNames), KeyID: e.id, OutputPrefixType: enumName(e.prefix, prefixNames)})
	}
	return json.Marshal(out)
}

// parseWrapped returns the ciphertext of an EncryptedKeyset JSON. The
// keyset description beside it is not trusted (it is not authenticated):
// it must be an object, and is otherwise ignored.
func parseWrapped(data []byte) ([]byte, error) {
	var ct []byte
	err := jsonObject(data, "encrypted keyset", wrappedFields, func(name string, v json.RawMessage) (err error) {
		switch name {
		case "encryptedKeyset":
			ct, err = jsonBytes(v, "encryptedKeyset")
		case "keysetInfo":
			var m map[string]json.RawMessage
			if json.Unmarshal(v, &m) != nil {
				err = errors.New("keysetInfo is not a JSON object")
			}
		}
		return err
	})
	if err == nil && len(ct) == 0 {
		err = errors.New("encrypted keyset: no encryptedKeyset")
	}
	return ct, err
}
