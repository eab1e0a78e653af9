import HTTPTypes
import NIOCore

/// Writes the responses the gateway makes itself (refusals, preflights) as HTTP/1.1 bytes, and
/// the start of relayed ones.
enum HTTPResponseWriter {
    /// What the `Connection` header of a response says, if anything.
    enum ConnectionField {
        /// No header: an HTTP/1.1 client keeps the connection.
        case none
        /// `Connection: keep-alive`, for an HTTP/1.0 client that asked to keep it.
        case keepAlive
        /// `Connection: close`: the gateway closes the connection after the response.
        case close
    }

    /// A whole response: status line, `fields`, framing and body.
    /// `omittingBody` writes the head of the response as for a `HEAD` request: its
    /// `Content-Length` says how long the body would be, and no body follows.
    static func response(status: HTTPResponse.Status, fields: HTTPFields, body: ByteBuffer?, connection: ConnectionField, omittingBody: Bool = false) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(256 + (body?.readableBytes ?? 0))
        writeStatusLine(code: status.code, reason: status.reasonPhrase, into: &out)
        for field in fields where field.name != .contentLength && field.name != .connection {
            out.writeString(field.name.rawName)
            out.writeStaticString(": ")
            out.writeString(field.value)
            out.writeStaticString("\r\n")
        }
        if status.code != 204 && status.code != 304 {
            out.writeStaticString("Content-Length: ")
            out.writeString(String(body?.readableBytes ?? 0))
            out.writeStaticString("\r\n")
        }
        writeConnection(connection, into: &out)
        out.writeStaticString("\r\n")
        if let body, !omittingBody { out.writeImmutableBuffer(body) }
        return out
    }

    static func writeStatusLine(code: Int, reason: String, into out: inout ByteBuffer) {
        out.writeStaticString("HTTP/1.1 ")
        out.writeString(String(code))
        out.writeStaticString(" ")
        out.writeString(reason)
        out.writeStaticString("\r\n")
    }

    /// Writes `name: value` and the line end with one copy into the buffer.
    static func writeField(_ name: StaticString, _ value: String, into out: inout ByteBuffer) {
        var value = value
        value.withUTF8 { valueBytes in
            let length = name.utf8CodeUnitCount + 2 + valueBytes.count + 2
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { target in
                let base = target.baseAddress!
                base.copyMemory(from: name.utf8Start, byteCount: name.utf8CodeUnitCount)
                var offset = name.utf8CodeUnitCount
                base.storeBytes(of: UInt8(ascii: ":"), toByteOffset: offset, as: UInt8.self)
                base.storeBytes(of: UInt8(ascii: " "), toByteOffset: offset + 1, as: UInt8.self)
                offset += 2
                if let valueBase = valueBytes.baseAddress { (base + offset).copyMemory(from: valueBase, byteCount: valueBytes.count) }
                offset += valueBytes.count
                base.storeBytes(of: UInt8(ascii: "\r"), toByteOffset: offset, as: UInt8.self)
                base.storeBytes(of: UInt8(ascii: "\n"), toByteOffset: offset + 1, as: UInt8.self)
                return length
            }
        }
    }

    static func writeConnection(_ connection: ConnectionField, into out: inout ByteBuffer) {
        switch connection {
        case .none: break
        case .keepAlive: out.writeStaticString("Connection: keep-alive\r\n")
        case .close: out.writeStaticString("Connection: close\r\n")
        }
    }

    /// `HTTP/1.1 100 Continue`, for a client waiting to send its body.
    static let continueResponse: ByteBuffer = ByteBuffer(string: "HTTP/1.1 100 Continue\r\n\r\n")
}
