import NIOCore
import Testing

@testable import ShareSandbox

@Suite("request read deadlines (state machine)")
struct RequestReadDeadlinesTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)
    static func at(_ seconds: Int64) -> NIODeadline { start + .seconds(seconds) }

    static func machine() -> RequestReadDeadlines {
        RequestReadDeadlines(headTimeout: .seconds(10), bodyTimeout: .seconds(30))
    }

    @Test("the first head is due from the connection's start; its body from the end of the head")
    func firstRequest() {
        var deadlines = Self.machine()
        #expect(deadlines.connectionStarted(at: Self.at(0)) == .arm(Self.at(10)))
        #expect(deadlines.connectionStarted(at: Self.at(1)) == .doNothing)
        #expect(deadlines.partRead(.head, at: Self.at(2)) == .arm(Self.at(32)))
        #expect(deadlines.partRead(.body, at: Self.at(3)) == .doNothing)
        #expect(deadlines.partRead(.end, at: Self.at(4)) == .cancel)
        #expect(deadlines.answerHeadWritten() == false)
        #expect(deadlines.answerEndWritten(at: Self.at(5)) == .doNothing)
        #expect(deadlines.phase == .awaitingHead(armed: false))
    }

    @Test("an idle keep-alive connection has no head deadline until bytes of the next head arrive")
    func nextHeadDeadlineStartsAtItsFirstBytes() {
        var deadlines = Self.machine()
        _ = deadlines.connectionStarted(at: Self.at(0))
        _ = deadlines.partRead(.head, at: Self.at(0))
        _ = deadlines.partRead(.end, at: Self.at(0))
        #expect(deadlines.readCompleted(partCount: 2, at: Self.at(0)) == .doNothing)
        _ = deadlines.answerHeadWritten()
        _ = deadlines.answerEndWritten(at: Self.at(1))
        // Bytes that make no part yet: a head has begun.
        #expect(deadlines.readCompleted(partCount: 0, at: Self.at(50)) == .arm(Self.at(60)))
        #expect(deadlines.readCompleted(partCount: 0, at: Self.at(55)) == .doNothing)
        #expect(deadlines.partRead(.head, at: Self.at(56)) == .arm(Self.at(86)))
    }

    @Test("an answer before the end of its request closes the connection after a linger, and stops reads")
    func earlyAnswerCloses() {
        var deadlines = Self.machine()
        _ = deadlines.connectionStarted(at: Self.at(0))
        _ = deadlines.partRead(.head, at: Self.at(0))
        _ = deadlines.partRead(.body, at: Self.at(0))
        #expect(deadlines.answerHeadWritten() == true)
        #expect(deadlines.stopsReading == false)
        #expect(deadlines.answerEndWritten(at: Self.at(1)) == .closeOutputAndLingerUntil(Self.at(1) + RequestReadDeadlines.lingerBeforeClose))
        #expect(deadlines.stopsReading)
        #expect(deadlines.partRead(.body, at: Self.at(2)) == .doNothing)
        #expect(deadlines.readCompleted(partCount: 0, at: Self.at(2)) == .doNothing)
    }

    @Test("a pipelined head read while an earlier request is answered does not close the connection")
    func pipelinedHeadKeepsConnection() {
        var deadlines = Self.machine()
        _ = deadlines.connectionStarted(at: Self.at(0))
        _ = deadlines.partRead(.head, at: Self.at(0))
        _ = deadlines.partRead(.end, at: Self.at(0))
        _ = deadlines.partRead(.head, at: Self.at(0))
        #expect(deadlines.answerHeadWritten() == false)
        #expect(deadlines.answerEndWritten(at: Self.at(1)) == .doNothing)
        #expect(deadlines.partRead(.end, at: Self.at(1)) == .cancel)
        #expect(deadlines.answerHeadWritten() == false)
        #expect(deadlines.answerEndWritten(at: Self.at(2)) == .doNothing)
        #expect(deadlines.phase == .awaitingHead(armed: false))
    }
}
