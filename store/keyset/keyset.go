package keyset

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// AESGCMKeyType is the type URL of the one key type vap seals with: Tink's
// AES-GCM (vap generates AES-256-GCM keys; an imported keyset may hold
// AES-128-GCM).
const AESGCMKeyType = "type.googleapis.com/google.crypto.tink.AesGcmKey"

// Status is a key's status in a keyset, as Tink names it.
type Status int32

// Key statuses; the values are Tink's KeyStatusType.
const (
	Enabled   Status = 1 // opens and, as the primary, seals
	Disabled  Status = 2 // kept, used for nothing
	Destroyed Status = 3 // its material is gone
)

// String is the status as Tink's keyset.KeyStatus prints it: Enabled,
// Disabled, Destroyed, or Unknown.
func (s Status) String() string {
	switch s {
	case Enabled:
		return "Enabled"
	case Disabled:
		return "Disabled"
	case Destroyed:
		return "Destroyed"
	}
	return "Unknown"
}

// Prefix is a key's output prefix type: what its ciphertexts start with.
type Prefix int32

// Output prefix types; the values are Tink's OutputPrefixType.
const (
	PrefixTink    Prefix = 1 // 0x01 and the key id, big-endian
	PrefixLegacy  Prefix = 2 // 0x00 and the key id
	PrefixRaw     Prefix = 3 // nothing
	PrefixCrunchy Prefix = 4 // as LEGACY
)

// String is the prefix type's Tink name.
func (p Prefix) String() string {
	if n, ok := prefixNames[p]; ok {
		return n
	}
	return "UNKNOWN_PREFIX"
}

// Bytes is the output prefix a key of this type with this id starts its
// ciphertexts with (nil for RAW).
func (p Prefix) Bytes(id uint32) []byte {
	switch p {
	case PrefixTink:
		return binary.BigEndian.AppendUint32([]byte{1}, id)
	case PrefixLegacy, PrefixCrunchy:
		return binary.BigEndian.AppendUint32([]byte{0}, id)
	}
	return nil
}

// PrefixID returns the key id that ciphertext's output prefix names when it
// starts as a TINK, LEGACY or CRUNCHY prefix does (0x01 or 0x00, then the id
// big-endian). A RAW key's ciphertext has no prefix and its nonce may look
// like one: check the id against the keyset and the whole prefix with
// [Prefix.Bytes].
func PrefixID(ciphertext []byte) (uint32, bool) {
	if len(ciphertext) < 5 || ciphertext[0] > 1 {
		return 0, false
	}
	return binary.BigEndian.Uint32(ciphertext[1:5]), true
}

// Key describes one key of a keyset, without its material.
type Key struct {
	ID      uint32
	Status  Status
	Prefix  Prefix
	TypeURL string
	Primary bool
}

// key is one key of a keyset. value is the serialized key proto (for an
// AES-GCM key, version and key bytes), kept as read so that Marshal writes
// back exactly what Parse read; material is the AES key inside it.
type key struct {
	id           uint32
	status       Status
	prefix       Prefix
	typeURL      string
	value        []byte
	materialType int32
	material     []byte // AES-GCM keys only
}

// Keyset is a Tink keyset of AES-GCM keys: what vap seals secrets with. It
// reads and writes Tink's formats (cleartext JSON keysets, encrypted
// keysets) and seals as Tink's AEAD does, byte for byte, without linking
// Tink. A Keyset is immutable: the functions that change keys return a
// new one. It never prints its key material.
type Keyset struct {
	primary uint32
	keys    []key
}

// String describes k's keys without their material. It has a value
// receiver so that a Keyset printed by value shows no material either.
func (k Keyset) String() string {
	return fmt.Sprintf("keyset.Keyset{primary: %d, keys: %v}", k.primary, k.Keys())
}

// GoString is String: %#v shows no key material either.
func (k Keyset) GoString() string { return k.String() }

// Primary returns the id of the key new ciphertexts are sealed with.
func (k *Keyset) Primary() uint32 { return k.primary }

// Keys lists k's keys in keyset order.
func (k *Keyset) Keys() []Key {
	out := make([]Key, len(k.keys))
	for i, e := range k.keys {
		out[i] = Key{ID: e.id, Status: e.status, Prefix: e.prefix, TypeURL: e.typeURL, Primary: e.id == k.primary}
	}
	return out
}

// IDs returns k's key ids, sorted.
func (k *Keyset) IDs() []uint32 {
	out := make([]uint32, len(k.keys))
	for i, e := range k.keys {
		out[i] = e.id
	}
	slices.Sort(out)
	return out
}

// New returns a fresh keyset of one AES-256-GCM key with a TINK prefix,
// as Tink's AES256GCMKeyTemplate makes.
func New() (*Keyset, error) {
	k, _, err := AddPrimary(&Keyset{})
	return k, err
}

// AddPrimary returns a copy of k with a new AES-256-GCM key as its primary,
// and the new key's id. k is not changed.
func AddPrimary(k *Keyset) (*Keyset, uint32, error) {
	nk, id, err := k.add()
	if err != nil {
		return nil, 0, err
	}
	nk.primary = id
	return nk, id, nil
}

// Add returns a copy of k with a new AES-256-GCM key that is not the
// primary (the first phase of a rotation shared by several hosts: every
// host gets the key before anything is sealed with it), and the new key's
// id. k is not changed.
func Add(k *Keyset) (*Keyset, uint32, error) { return k.add() }

// SetPrimary returns a copy of k whose primary is key id, which must be
// enabled. k is not changed.
func SetPrimary(k *Keyset, id uint32) (*Keyset, error) {
	i, err := k.find(id)
	if err != nil {
		return nil, err
	}
	if k.keys[i].status != Enabled {
		return nil, fmt.Errorf("%w: key %d is %s; only an enabled key can be the primary", ErrKeyset, id, k.keys[i].status)
	}
	nk := k.clone()
	nk.primary = id
	return nk, nil
}

// Delete returns a copy of k without key id, which must not be the
// primary. k is not changed.
func Delete(k *Keyset, id uint32) (*Keyset, error) {
	i, err := k.find(id)
	if err != nil {
		return nil, err
	}
	if id == k.primary {
		return nil, fmt.Errorf("%w: key %d is the primary key; it cannot be deleted", ErrKeyset, id)
	}
	nk := k.clone()
	nk.keys = slices.Delete(nk.keys, i, i+1)
	return nk, nil
}

// Only returns a keyset of key id of k alone, as its primary: what opens
// exactly the ciphertexts that key made.
func Only(k *Keyset, id uint32) (*Keyset, error) {
	i, err := k.find(id)
	if err != nil {
		return nil, err
	}
	if k.keys[i].status != Enabled {
		return nil, fmt.Errorf("%w: key %d is %s", ErrKeyset, id, k.keys[i].status)
	}
	return &Keyset{primary: id, keys: []key{k.keys[i]}}, nil
}

func (k *Keyset) index(id uint32) int {
	return slices.IndexFunc(k.keys, func(e key) bool { return e.id == id })
}

// find is index, failing for an id k does not hold.
func (k *Keyset) find(id uint32) (int, error) {
	i := k.index(id)
	if i < 0 {
		return 0, fmt.Errorf("%w: no key %d in the keyset", ErrKeyset, id)
	}
	return i, nil
}

func (k *Keyset) clone() *Keyset {
	return &Keyset{primary: k.primary, keys: slices.Clone(k.keys)}
}

// add returns a copy of k with a new enabled AES-256-GCM key (TINK prefix)
// under a random id no key of k has, and that id.
func (k *Keyset) add() (*Keyset, uint32, error) {
	material := make([]byte, 32)
	if _, err := rand.Read(material); err != nil {
		return nil, 0, fmt.Errorf("%w: generate: %v", ErrKeyset, err)
	}
	var id uint32
	for id == 0 || k.index(id) >= 0 {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, 0, fmt.Errorf("%w: generate: %v", ErrKeyset, err)
		}
		id = binary.BigEndian.Uint32(b[:])
	}
	nk := k.clone()
	nk.keys = append(nk.keys, key{
		id: id, status: Enabled, prefix: PrefixTink, typeURL: AESGCMKeyType,
		value: marshalAESGCMKey(material), materialType: materialSymmetric, material: material,
	})
	return nk, id, nil
}

// validate checks k as Tink does when it loads a keyset (keys present,
// known statuses and prefixes, unique ids, one enabled primary), and every
// AES-GCM key that is not destroyed for well-formed material. It names
// keys by id only.
func (k *Keyset) validate() error {
	if len(k.keys) == 0 {
		return errors.New("empty keyset")
	}
	seen := map[uint32]bool{}
	primary := false
	for i := range k.keys {
		e := &k.keys[i]
		if seen[e.id] {
			return fmt.Errorf("duplicate key id %d", e.id)
		}
		seen[e.id] = true
		if e.status < Enabled || e.status > Destroyed {
			return fmt.Errorf("key %d has an unknown status", e.id)
		}
		if e.prefix < PrefixTink || e.prefix > PrefixCrunchy {
			return fmt.Errorf("key %d has an unknown or unsupported output prefix", e.id)
		}
		if e.id == k.primary {
			if e.status != Enabled {
				return fmt.Errorf("the primary key %d is %s", e.id, e.status)
			}
			primary = true
		}
		if e.typeURL == AESGCMKeyType && e.status != Destroyed {
			m, err := parseAESGCMKey(e.value)
			if err != nil {
				return fmt.Errorf("key %d: %v", e.id, err)
			}
			e.material = m
		}
	}
	if !primary {
		return fmt.Errorf("no enabled primary key (primary key id %d)", k.primary)
	}
	return nil
}
