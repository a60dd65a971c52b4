package databricks_test

import (
	"context"
	"errors"

	"github.com/apache/thrift/lib/go/thrift"
)

// call is what the fake warehouse decoded from one Thrift request.
type call struct {
	Name            string
	Catalog, Schema string
}

// readCall decodes a TBinaryProtocol CALL and, for OpenSession, the
// initialNamespace (field 1284) of its TOpenSessionReq.
func readCall(body []byte) (call, int32, error) {
	ctx := context.Background()
	buf := thrift.NewTMemoryBuffer()
	buf.Write(body)
	p := thrift.NewTBinaryProtocolConf(buf, nil)
	name, typ, seq, err := p.ReadMessageBegin(ctx)
	if err != nil {
		return call{}, 0, err
	}
	if typ != thrift.CALL {
		return call{}, 0, errors.New("not a CALL message")
	}
	c := call{Name: name}
	err = readStruct(ctx, p, func(id int16, t thrift.TType) (bool, error) {
		if id != 1 || t != thrift.STRUCT || name != "OpenSession" {
			return false, nil
		}
		return true, readStruct(ctx, p, func(id int16, t thrift.TType) (bool, error) {
			if id != 1284 || t != thrift.STRUCT {
				return false, nil
			}
			return true, readStruct(ctx, p, func(id int16, t thrift.TType) (bool, error) {
				if t != thrift.STRING || (id != 1 && id != 2) {
					return false, nil
				}
				s, err := p.ReadString(ctx)
				if id == 1 {
					c.Catalog = s
				} else {
					c.Schema = s
				}
				return true, err
			})
		})
	})
	return c, seq, err
}

// readStruct walks a struct's fields; field reads one it wants (returning
// true), others are skipped.
func readStruct(ctx context.Context, p thrift.TProtocol, field func(int16, thrift.TType) (bool, error)) error {
	if _, err := p.ReadStructBegin(ctx); err != nil {
		return err
	}
	for {
		_, t, id, err := p.ReadFieldBegin(ctx)
		if err != nil {
			return err
		}
		if t == thrift.STOP {
			return p.ReadStructEnd(ctx)
		}
		done, err := field(id, t)
		if err != nil {
			return err
		}
		if !done {
			if err := p.Skip(ctx, t); err != nil {
				return err
			}
		}
		if err := p.ReadFieldEnd(ctx); err != nil {
			return err
		}
	}
}

// reply encodes a successful answer to name: a status SUCCESS and, for
// OpenSession, protocol V8 and a session handle.
func reply(name string, seq int32) []byte {
	ctx := context.Background()
	buf := thrift.NewTMemoryBuffer()
	p := thrift.NewTBinaryProtocolConf(buf, nil)
	p.WriteMessageBegin(ctx, name, thrift.REPLY, seq)
	p.WriteStructBegin(ctx, name+"_result")
	p.WriteFieldBegin(ctx, "success", thrift.STRUCT, 0)
	p.WriteStructBegin(ctx, "resp")
	p.WriteFieldBegin(ctx, "status", thrift.STRUCT, 1)
	p.WriteStructBegin(ctx, "TStatus")
	p.WriteFieldBegin(ctx, "statusCode", thrift.I32, 1)
	p.WriteI32(ctx, 0) // SUCCESS_STATUS
	p.WriteFieldEnd(ctx)
	p.WriteFieldStop(ctx)
	p.WriteStructEnd(ctx)
	p.WriteFieldEnd(ctx)
	if name == "OpenSession" {
		p.WriteFieldBegin(ctx, "serverProtocolVersion", thrift.I32, 2)
		p.WriteI32(ctx, 42248) // SPARK_CLI_SERVICE_PROTOCOL_V8
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "sessionHandle", thrift.STRUCT, 3)
		p.WriteStructBegin(ctx, "TSessionHandle")
		p.WriteFieldBegin(ctx, "sessionId", thrift.STRUCT, 1)
		p.WriteStructBegin(ctx, "THandleIdentifier")
		p.WriteFieldBegin(ctx, "guid", thrift.STRING, 1)
		p.WriteBinary(ctx, []byte("0123456789abcdef"))
		p.WriteFieldEnd(ctx)
		p.WriteFieldBegin(ctx, "secret", thrift.STRING, 2)
		p.WriteBinary(ctx, []byte("fedcba9876543210"))
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
		p.WriteFieldEnd(ctx)
		p.WriteFieldStop(ctx)
		p.WriteStructEnd(ctx)
		p.WriteFieldEnd(ctx)
	}
	p.WriteFieldStop(ctx)
	p.WriteStructEnd(ctx)
	p.WriteFieldEnd(ctx)
	p.WriteFieldStop(ctx)
	p.WriteStructEnd(ctx)
	p.WriteMessageEnd(ctx)
	p.Flush(ctx)
	return buf.Bytes()
}
