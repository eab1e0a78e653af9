import Foundation
import ShareModels

/// The answer of `GET /sandbox/clock`, `POST /sandbox/clock/advance` and
/// `POST /sandbox/clock/reset`: `{"now": "<RFC 3339>", "offset_seconds": N}`.
struct SandboxClockAnswer: Encodable, Sendable {
    var now: String
    var offsetSeconds: Int

    /// The timeline's time, or the time at `offsetSeconds` (what an advance produced, which
    /// other advances may already have moved past).
    init(_ timeline: SandboxTimeline, offsetSeconds produced: Int? = nil) {
        // One reading of the offset, so that `now` and `offset_seconds` agree.
        let reading = produced.map { timeline.reading(offsetSeconds: $0) } ?? timeline.reading()
        now = Timestamp(reading.now).description
        offsetSeconds = reading.offsetSeconds
    }

    enum CodingKeys: String, CodingKey {
        case now
        case offsetSeconds = "offset_seconds"
    }
}
