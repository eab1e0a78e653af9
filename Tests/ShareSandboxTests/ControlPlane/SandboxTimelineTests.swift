import Foundation
import ShareSandbox
import Testing

@Suite("Control plane: the timeline follows the newest clock setting")
struct SandboxTimelineTests {
    @Test("a newer version is followed, a reset included; an older or equal one changes nothing")
    func versions() {
        let base = Date(timeIntervalSince1970: 1_000_000)
        let timeline = SandboxTimeline(base: SandboxClock { base })
        #expect(timeline.setting == .start)
        #expect(timeline.apply(SandboxClockSetting(offsetSeconds: 3600, version: 2)))
        #expect(timeline.now() == base.addingTimeInterval(3600))
        // A late answer to an earlier read (version 1) never moves time back.
        #expect(!timeline.apply(SandboxClockSetting(offsetSeconds: 60, version: 1)))
        #expect(!timeline.apply(SandboxClockSetting(offsetSeconds: 7200, version: 2)))
        #expect(timeline.offsetSeconds == 3600)
        // A reset is a newer version with a smaller offset.
        #expect(timeline.apply(SandboxClockSetting(offsetSeconds: 0, version: 3)))
        #expect(timeline.reading().offsetSeconds == 0)
        #expect(timeline.clock.now() == base)
    }

    @Test("an offset outside 0 ... 100 years is held to those bounds")
    func bounds() {
        let timeline = SandboxTimeline(base: SandboxClock { Date(timeIntervalSince1970: 0) })
        timeline.apply(SandboxClockSetting(offsetSeconds: SandboxTimeline.maximumOffsetSeconds + 5, version: 1))
        #expect(timeline.offsetSeconds == SandboxTimeline.maximumOffsetSeconds)
        timeline.apply(SandboxClockSetting(offsetSeconds: -5, version: 2))
        #expect(timeline.offsetSeconds == 0)
    }
}
