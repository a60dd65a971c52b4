package wire

import (
	"bytes"
	"encoding/binary"
	"testing"
)

func TestPreloginRoundTrip(t *testing.T) {
	for _, enc := range []byte{EncryptOff, EncryptOn, EncryptNotSup, EncryptReq} {
		var buf bytes.Buffer
		if err := WriteTDSMessage(&buf, TDSReply, PreloginResponse(enc)); err != nil {
			t.Fatal(err)
		}
		typ, payload, err := ReadTDSMessage(&buf)
		if err != nil || typ != TDSReply {
			t.Fatalf("read back: type %d, %v", typ, err)
		}
		p, err := ParsePrelogin(payload)
		if err != nil {
			t.Fatal(err)
		}
		if p.Encryption != enc || len(p.Version) != 6 {
			t.Errorf("encryption %d version %v, want %d", p.Encryption, p.Version, enc)
		}
	}
}

func TestDescriptor(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     map[string]string
		bad      bool
	}{
		{name: "service", in: "(DESCRIPTION=(ADDRESS=(PROTOCOL=tcp)(HOST=h.example)(PORT=1521))(CONNECT_DATA=(SERVICE_NAME=s.x)(CID=(PROGRAM=/tmp/a b)(HOST=me)(USER=root))))",
			want: map[string]string{"HOST": "h.example", "PORT": "1521", "SERVICE_NAME": "s.x", "PROGRAM": "/tmp/a b"}},
		{name: "spaces", in: " ( DESCRIPTION = (SID = ORCL ) ) ", want: map[string]string{"SID": "ORCL"}},
		{name: "unclosed", in: "(DESCRIPTION=(SID=ORCL)", bad: true},
		{name: "no equals", in: "(DESCRIPTION)", bad: true},
		{name: "trailing", in: "(A=b)x", bad: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ParseDescriptor(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatal("accepted a malformed descriptor")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tc.want {
				if got, ok := d.Find(k); !ok || got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// tnsPacket builds a pre-handshake TNS packet.
func tnsPacket(typ byte, body []byte) []byte {
	h := make([]byte, 8)
	binary.BigEndian.PutUint16(h, uint16(len(body)+8))
	h[4] = typ
	return append(h, body...)
}

func TestReadTNSConnect(t *testing.T) {
	desc := "(DESCRIPTION=(CONNECT_DATA=(SID=X)))"
	fixed := make([]byte, 62) // packet bytes 8..69
	binary.BigEndian.PutUint16(fixed[16:], uint16(len(desc)))
	binary.BigEndian.PutUint16(fixed[18:], 70)
	t.Run("inline", func(t *testing.T) {
		got, err := ReadTNSConnect(bytes.NewReader(tnsPacket(TNSConnect, append(append([]byte{}, fixed...), desc...))))
		if err != nil || got != desc {
			t.Fatalf("got %q, %v", got, err)
		}
	})
	t.Run("data packet", func(t *testing.T) {
		in := append(tnsPacket(TNSConnect, fixed), tnsPacket(TNSData, append([]byte{0, 0}, desc...))...)
		got, err := ReadTNSConnect(bytes.NewReader(in))
		if err != nil || got != desc {
			t.Fatalf("got %q, %v", got, err)
		}
	})
	t.Run("not connect", func(t *testing.T) {
		if _, err := ReadTNSConnect(bytes.NewReader(tnsPacket(TNSData, fixed))); err == nil {
			t.Fatal("accepted a DATA packet as CONNECT")
		}
	})
}

func FuzzParsers(f *testing.F) {
	f.Add(PreloginResponse(EncryptNotSup))
	f.Add([]byte("(DESCRIPTION=(SID=X))"))
	f.Add(make([]byte, 94))
	f.Fuzz(func(t *testing.T, b []byte) {
		ParsePrelogin(b)
		ParseLogin7(b)
		ParseDescriptor(string(b))
		ReadTNSConnect(bytes.NewReader(b))
		ReadTDSMessage(bytes.NewReader(b))
	})
}
