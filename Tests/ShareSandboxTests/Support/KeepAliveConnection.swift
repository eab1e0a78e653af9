import Foundation
import NIOCore

/// One keep-alive HTTP/1.1 connection that sends whole requests and reads whole responses
/// (`Content-Length` framed, as every sandbox answer is).
struct KeepAliveConnection {
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var pending: [UInt8] = []

    /// Opens `count` connections to `port`, one after the other, runs `body` with them and
    /// closes them all.
    static func with<Value: Sendable>(
        _ count: Int, port: Int, _ body: (inout [KeepAliveConnection]) async throws -> Value
    ) async throws -> Value {
        try await open(count, port: port, opened: [], body)
    }

    private static func open<Value: Sendable>(
        _ count: Int, port: Int, opened: [KeepAliveConnection], _ body: (inout [KeepAliveConnection]) async throws -> Value
    ) async throws -> Value {
        guard count > 0 else {
            var all = opened
            return try await body(&all)
        }
        let connection = try await RawTCPConnection.open(port: port)
        return try await connection.channel.executeThenClose { inbound, outbound in
            let next = KeepAliveConnection(channel: connection.channel.channel, inbound: inbound.makeAsyncIterator(), outbound: outbound)
            return try await open(count - 1, port: port, opened: opened + [next], body)
        }
    }

    func send(_ bytes: ByteBuffer) async throws { try await outbound.write(bytes) }

    /// The status of the next response, its body read and dropped; `nil` when the server
    /// closed the connection first.
    mutating func responseStatus() async throws -> Int? {
        while true {
            if let end = Self.headEnd(in: pending) {
                let head = String(decoding: pending[..<end], as: UTF8.self)
                let lines = head.split(separator: "\r\n")
                let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
                let length = lines.dropFirst().compactMap { line -> Int? in
                    let parts = line.split(separator: ":", maxSplits: 1)
                    guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                    return Int(parts[1].trimmingCharacters(in: .whitespaces))
                }.first ?? 0
                while pending.count < end + 4 + length {
                    guard let buffer = try await inbound.next() else { return nil }
                    pending += buffer.readableBytesView
                }
                pending.removeFirst(end + 4 + length)
                return status
            }
            guard let buffer = try await inbound.next() else { return nil }
            pending += buffer.readableBytesView
        }
    }

    /// A response read whole: status, header fields (names lower-cased) and body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// The next response; `toHEAD` reads it as the answer to a `HEAD` request, whose
    /// `Content-Length` announces a body that never follows. `nil` when the server closed first.
    mutating func response(toHEAD: Bool = false) async throws -> Response? {
        while true {
            if let end = Self.headEnd(in: pending) {
                let lines = String(decoding: pending[..<end], as: UTF8.self).split(separator: "\r\n")
                let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
                var headers: [String: String] = [:]
                for line in lines.dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2 { headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces) }
                }
                let length = toHEAD ? 0 : headers["content-length"].flatMap { Int($0) } ?? 0
                while pending.count < end + 4 + length {
                    guard let buffer = try await inbound.next() else { return nil }
                    pending += buffer.readableBytesView
                }
                let body = String(decoding: pending[(end + 4)..<(end + 4 + length)], as: UTF8.self)
                pending.removeFirst(end + 4 + length)
                return Response(status: status, headers: headers, body: body)
            }
            guard let buffer = try await inbound.next() else { return nil }
            pending += buffer.readableBytesView
        }
    }

    /// Closes the connection from this side.
    func close() async {
        try? await channel.close()
    }

    private static func headEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
