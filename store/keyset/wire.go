package keyset

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// The protocol-buffer messages of Tink's tink.proto and aes_gcm.proto that
// vap reads and writes, by hand: Keyset (the plaintext of an encrypted
// keyset) and AesGcmKey (a key's value). Field numbers:
//
//	Keyset      1 primary_key_id uint32, 2 key repeated Keyset.Key
//	Keyset.Key  1 key_data KeyData, 2 status enum, 3 key_id uint32, 4 output_prefix_type enum
//	KeyData     1 type_url string, 2 value bytes, 3 key_material_type enum
//	AesGcmKey   1 version uint32, 3 key_value bytes

const (
	wireVarint = 0
	wireI64    = 1
	wireBytes  = 2
	wireI32    = 5
)

// materialSymmetric is KeyData.KeyMaterialType SYMMETRIC.
const materialSymmetric = 1

func appendTag(b []byte, field, wire int) []byte {
	return binary.AppendUvarint(b, uint64(field)<<3|uint64(wire))
}

func appendVarintField(b []byte, field int, v uint64) []byte {
	if v == 0 {
		return b // proto3: a default value is not written
	}
	return binary.AppendUvarint(appendTag(b, field, wireVarint), v)
}

func appendBytesField(b []byte, field int, v []byte) []byte {
	if len(v) == 0 {
		return b
	}
	b = binary.AppendUvarint(appendTag(b, field, wireBytes), uint64(len(v)))
	return append(b, v...)
}

// fields calls fn with each field of a serialized message: its number, wire
// type, and its value (a varint's value, or a length-delimited field's
// bytes). Fixed-width fields are skipped (none of vap's messages has one);
// a group or a malformed message is an error.
func fields(msg []byte, fn func(field, wire int, v uint64, b []byte) error) error {
	for len(msg) > 0 {
		tag, n := binary.Uvarint(msg)
		if n <= 0 || tag>>3 == 0 || tag>>3 > 1<<29-1 {
			return errors.New("malformed message")
		}
		msg = msg[n:]
		field, wire := int(tag>>3), int(tag&7)
		var v uint64
		var b []byte
		switch wire {
		case wireVarint:
			v, n = binary.Uvarint(msg)
			if n <= 0 {
				return errors.New("malformed varint")
			}
			msg = msg[n:]
		case wireBytes:
			l, n := binary.Uvarint(msg)
			if n <= 0 || l > uint64(len(msg)-n) {
				return errors.New("malformed length")
			}
			b, msg = msg[n:n+int(l)], msg[n+int(l):]
		case wireI64:
			if len(msg) < 8 {
				return errors.New("truncated field")
			}
			msg = msg[8:]
			continue
		case wireI32:
			if len(msg) < 4 {
				return errors.New("truncated field")
			}
			msg = msg[4:]
			continue
		default:
			return fmt.Errorf("unsupported wire type %d", wire)
		}
		if err := fn(field, wire, v, b); err != nil {
			return err
		}
	}
	return nil
}

// want checks a known field's wire type.
func want(field, wire, expected int) error {
	if wire != expected {
		return fmt.Errorf("field %d has wire type %d", field, wire)
	}
	return nil
}

// marshalAESGCMKey is an AesGcmKey of version 0 holding material.
func marshalAESGCMKey(material []byte) []byte {
	return appendBytesField(nil, 3, material)
}

// parseAESGCMKey returns the AES key of a serialized AesGcmKey, which must
// be of version 0 and 16, 24 or 32 bytes, as Tink reads them (it
// generates 16 and 32).
func parseAESGCMKey(value []byte) ([]byte, error) {
	var version uint64
	var material []byte
	err := fields(value, func(field, wire int, v uint64, b []byte) error {
		switch field {
		case 1:
			version = v
			return want(field, wire, wireVarint)
		case 3:
			material = b
			return want(field, wire, wireBytes)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("malformed AES-GCM key: %v", err)
	}
	if version != 0 {
		return nil, fmt.Errorf("AES-GCM key version %d is not supported", version)
	}
	if len(material) != 16 && len(material) != 24 && len(material) != 32 {
		return nil, fmt.Errorf("AES-GCM key of %d bytes; it must be 16, 24 or 32", len(material))
	}
	return material, nil
}

// marshalBinary serializes k as a Tink Keyset message.
func (k *Keyset) marshalBinary() []byte {
	out := appendVarintField(nil, 1, uint64(k.primary))
	for _, e := range k.keys {
		var kd []byte
		kd = appendBytesField(kd, 1, []byte(e.typeURL))
		kd = appendBytesField(kd, 2, e.value)
		kd = appendVarintField(kd, 3, uint64(uint32(e.materialType)))
		var kb []byte
		kb = appendBytesField(kb, 1, kd)
		if len(kd) == 0 { // present, though empty
			kb = append(appendTag(kb, 1, wireBytes), 0)
		}
		kb = appendVarintField(kb, 2, uint64(uint32(e.status)))
		kb = appendVarintField(kb, 3, uint64(e.id))
		kb = appendVarintField(kb, 4, uint64(uint32(e.prefix)))
		out = append(appendTag(out, 2, wireBytes), binary.AppendUvarint(nil, uint64(len(kb)))...)
		out = append(out, kb...)
	}
	return out
}

// parseBinary reads a serialized Tink Keyset message (not validated).
func parseBinary(msg []byte) (*Keyset, error) {
	k := &Keyset{}
	err := fields(msg, func(field, wire int, v uint64, b []byte) error {
		switch field {
		case 1:
			k.primary = uint32(v)
			return want(field, wire, wireVarint)
		case 2:
			if err := want(field, wire, wireBytes); err != nil {
				return err
			}
			e, err := parseBinaryKey(b)
			if err != nil {
				return err
			}
			k.keys = append(k.keys, e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

func parseBinaryKey(msg []byte) (key, error) {
	var e key
	hasData := false
	err := fields(msg, func(field, wire int, v uint64, b []byte) error {
		switch field {
		case 1:
			hasData = true
			if err := want(field, wire, wireBytes); err != nil {
				return err
			}
			return fields(b, func(field, wire int, v uint64, b []byte) error {
				switch field {
				case 1:
					e.typeURL = string(b)
					return want(field, wire, wireBytes)
				case 2:
					e.value = b
					return want(field, wire, wireBytes)
				case 3:
					e.materialType = int32(v)
					return want(field, wire, wireVarint)
				}
				return nil
			})
		case 2:
			e.status = Status(int32(v))
			return want(field, wire, wireVarint)
		case 3:
			e.id = uint32(v)
			return want(field, wire, wireVarint)
		case 4:
			e.prefix = Prefix(int32(v))
			return want(field, wire, wireVarint)
		}
		return nil
	})
	if err == nil && !hasData {
		err = fmt.Errorf("key %d has no key data", e.id)
	}
	return e, err
}
