import Foundation
import ShareModels

/// The answer of `GET /sandbox/clock`, `POST /sandbox/clock/advance` and
/// `POST /sandbox/clock/reset`: `{"now": "<RFC 3339>", "offset_seconds": N}`.
struct SandboxClockAnswer: Encodable, Sendable {
    var now: String
    var offsetSeconds: Int

    init(_ timeline: SandboxTimeline) {
        // One reading of the offset, so that `now` and `offset_seconds` agree.
        let reading = timeline.reading()
        now = Timestamp(reading.now).description
        offsetSeconds = reading.offsetSeconds
    }

    enum CodingKeys: String, CodingKey {
        case now
        case offsetSeconds = "offset_seconds"
    }
}
