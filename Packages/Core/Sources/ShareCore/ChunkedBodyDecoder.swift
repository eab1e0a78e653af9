import NIOCore

/// Reads a body in the chunked transfer coding (RFC 9112 §7.1) as it arrives, handing out the
/// data of each chunk; chunk extensions and trailer fields are read and dropped.
///
/// Used for request bodies (the data is inspected, then forwarded with a `Content-Length`) and to
/// find where a chunked upstream response ends (its bytes are relayed as they are). Hand-written
/// for the same reason as ``HTTPHeadParser``.
public struct ChunkedBodyDecoder: Sendable {
    /// Why a chunked body was refused.
    public enum Failure: Error, Equatable, Sendable {
        /// The chunk framing is malformed, or its overhead too long.
        case malformed
    }

    private enum State: Sendable {
        case size(value: Int, digits: Int, afterDigits: Bool, inExtension: Bool, sawCR: Bool)
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailer(lineLength: Int, sawCR: Bool)
        case done
    }

    private var state: State = .size(value: 0, digits: 0, afterDigits: false, inExtension: false, sawCR: false)
    /// Bytes of the current chunk-size line, or of the trailer section: bounded, so that a peer
    /// cannot keep the gateway reading extensions or trailers forever.
    private var overhead = 0
    private static let maximumOverhead = 16 * 1024

    /// A decoder at the start of a body.
    public init() {}

    /// Whether the body has ended (the last chunk and the trailer section were read).
    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Reads from `buffer` until the body ends or the buffer is empty, calling `data` with each
    /// piece of chunk data. Returns whether the body has ended; what follows it stays in `buffer`.
    public mutating func decode(_ buffer: inout ByteBuffer, data: (ByteBuffer) -> Void) throws(Failure) -> Bool {
        while buffer.readableBytes > 0 {
            switch state {
            case .data(let remaining):
                let slice = buffer.readSlice(length: min(remaining, buffer.readableBytes))!
                data(slice)
                state = remaining == slice.readableBytes ? .dataCR : .data(remaining: remaining - slice.readableBytes)
            case .done:
                return true
            default:
                let byte = buffer.readInteger(as: UInt8.self)!
                try step(byte)
                if case .done = state { return true }
            }
        }
        return isComplete
    }

    private mutating func step(_ byte: UInt8) throws(Failure) {
        switch state {
        case .size(var value, var digits, var afterDigits, var inExtension, let sawCR):
            try count()
            if sawCR {
                guard byte == UInt8(ascii: "\n"), digits > 0 else { throw .malformed }
                state = value == 0 ? .trailer(lineLength: 0, sawCR: false) : .data(remaining: value)
                overhead = 0
                return
            }
            if byte == UInt8(ascii: "\r") {
                state = .size(value: value, digits: digits, afterDigits: afterDigits, inExtension: inExtension, sawCR: true)
                return
            }
            if inExtension {
                guard byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F) else { throw .malformed }
                return
            }
            if let digit = PercentCoding.hexValue(byte).map(Int.init), !afterDigits {
                guard digits < 15 else { throw .malformed }
                value = value << 4 | digit
                digits += 1
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                guard digits > 0 else { throw .malformed }
                afterDigits = true
            } else if byte == UInt8(ascii: ";") {
                guard digits > 0 else { throw .malformed }
                inExtension = true
            } else {
                throw .malformed
            }
            state = .size(value: value, digits: digits, afterDigits: afterDigits, inExtension: inExtension, sawCR: false)
        case .dataCR:
            guard byte == UInt8(ascii: "\r") else { throw .malformed }
            state = .dataLF
        case .dataLF:
            guard byte == UInt8(ascii: "\n") else { throw .malformed }
            state = .size(value: 0, digits: 0, afterDigits: false, inExtension: false, sawCR: false)
        case .trailer(let lineLength, let sawCR):
            try count()
            if sawCR {
                guard byte == UInt8(ascii: "\n") else { throw .malformed }
                state = lineLength == 0 ? .done : .trailer(lineLength: 0, sawCR: false)
            } else if byte == UInt8(ascii: "\r") {
                state = .trailer(lineLength: lineLength, sawCR: true)
            } else {
                guard byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F) else { throw .malformed }
                state = .trailer(lineLength: lineLength + 1, sawCR: false)
            }
        case .data, .done:
            break
        }
    }

    private mutating func count() throws(Failure) {
        overhead += 1
        guard overhead <= Self.maximumOverhead else { throw .malformed }
    }
}
