import Foundation
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An upload over a plain blocking socket, on threads of its own: sends a request head and then
/// body bytes until the whole body is sent or a send fails, while another thread reads what the
/// server answers. Plain sockets because a failed `send` is the evidence the oversized-body
/// tests need: it shows the server stopped reading and closed, where an event-loop client's
/// buffered writes leave that unclear.
enum BlockingUpload {
    struct Result: Sendable {
        /// Everything the server sent.
        var received: String
        /// Whether the server ended its side (FIN or reset) within the time limit.
        var serverClosed: Bool
        /// Body bytes the kernel accepted before a send failed (or all of them).
        var bodyBytesSent: Int
    }

    /// Sends `head`, then `body` (already framed) `repetitions` times, to `127.0.0.1:port`.
    static func run(port: Int, head: String, body: [UInt8], repetitions: Int, timeLimit seconds: Int) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: upload(port: port, head: head, body: body, repetitions: repetitions, timeLimit: seconds))
            }
        }
    }

    private static func upload(port: Int, head: String, body: [UInt8], repetitions: Int, timeLimit seconds: Int) -> Result {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { return Result(received: "", serverClosed: false, bodyBytesSent: 0) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return Result(received: "", serverClosed: false, bodyBytesSent: 0) }

        let received = NIOLockedValueBox<[UInt8]>([])
        let closedByServer = NIOLockedValueBox(false)
        let readerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count > 0 {
                    received.withLockedValue { $0 += buffer[..<count] }
                    continue
                }
                // 0 is the server's FIN; an error other than the time limit is its reset.
                let timedOut = count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
                closedByServer.withLockedValue { $0 = !timedOut }
                break
            }
            readerDone.signal()
        }

        func sendAll(_ bytes: [UInt8]) -> Int {
            var sent = 0
            while sent < bytes.count {
                #if canImport(Glibc)
                let flags = Int32(MSG_NOSIGNAL)
                #else
                let flags: Int32 = 0
                #endif
                let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, flags) }
                guard count > 0 else { return sent }
                sent += count
            }
            return sent
        }
        var bodySent = 0
        let headBytes = Array(head.utf8)
        if sendAll(headBytes) == headBytes.count {
            for _ in 0..<repetitions {
                let sent = sendAll(body)
                bodySent += sent
                if sent < body.count { break }
            }
        }
        if readerDone.wait(timeout: .now() + .seconds(seconds)) == .timedOut {
            // The reader must be done before the descriptor is closed: a reader still in recv
            // would read from whatever socket is opened next under the same number.
            shutdown(fd, Int32(SHUT_RDWR))
            readerDone.wait()
            // This shutdown ended the read, not the server.
            closedByServer.withLockedValue { $0 = false }
        }
        return Result(
            received: String(decoding: received.withLockedValue { $0 }, as: UTF8.self), serverClosed: closedByServer.withLockedValue { $0 },
            bodyBytesSent: bodySent)
    }
}
