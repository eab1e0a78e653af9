import Foundation
import ShareClient
import ShareModels
import ShareSandbox
import Testing

@Suite("Control plane: webhook redelivery and test events, to a real local receiver")
struct WebhookControlTests {
    static let secret = "whsec-destination"

    static func signedAt(_ header: String?) -> Int? {
        guard let header, header.hasPrefix("t="), let comma = header.firstIndex(of: ",") else { return nil }
        return Int(header[header.index(header.startIndex, offsetBy: 2)..<comma])
    }

    @Test("redeliver sends the stored event again, freshly signed at the sandbox's time")
    func redeliver() async throws {
        let receiver = WebhookReceiver()
        let clock = ManualClock()
        try await receiver.run { url in
            let configuration = ControlPlaneHarness.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                #expect(try await client.createShareToken().status == 201)
                try await receiver.waitUntil { await $0.deliveries.count >= 1 }
                let first = try #require(await receiver.deliveries.first)
                let eventID = try #require(try await client.api("/api/v1/events", as: ShareTokenHarness.destination).listedIDs.first)

                try await client.advanceClock(100)
                let answer = try await client.control("/sandbox/events/\(eventID)/redeliver")
                #expect(answer.status == 200, "\(answer.bodyText)")
                #expect(answer.string("event_id") == eventID)
                #expect(answer.string("url") == url)
                #expect(answer.string("organization") == ShareTokenHarness.destination.id)
                #expect(answer.string("name") == EventName.inboundCreated.rawValue)
                #expect(answer["delivered"] == .bool(true))
                #expect(answer.integer("status") == 200)
                #expect(answer.integer("signed_at") == Int(clock.now.timeIntervalSince1970) + 100)

                try await receiver.waitUntil { await $0.deliveries.count >= 2 }
                let again = try #require(await receiver.deliveries.last)
                #expect(again.body == first.body)
                #expect(again.signature != first.signature)
                // A redelivery is a delivery of its own, made once: attempt 1 of 1, first made now.
                #expect(again.attemptsMade == "1" && again.attemptsLeft == "0")
                #expect(again.firstAttemptedAt == String(Int(clock.now.timeIntervalSince1970) + 100))
                #expect(Self.signedAt(again.signature) == Self.signedAt(first.signature).map { $0 + 100 })
                let sandboxNow = clock.now.addingTimeInterval(100)
                let event = try WebhookVerifier(secret: Self.secret).event(body: again.body, signatureHeader: again.signature, now: sandboxNow)
                #expect(event.id.rawValue == eventID)
                #expect(throws: WebhookVerificationError.self) {
                    try WebhookVerifier(secret: "another-secret").verify(body: again.body, signatureHeader: again.signature, now: sandboxNow)
                }
                // The old signature is now too old for a verifier on the sandbox's time.
                #expect(throws: WebhookVerificationError.self) {
                    try WebhookVerifier(secret: Self.secret).verify(body: first.body, signatureHeader: first.signature, now: sandboxNow.addingTimeInterval(250))
                }

                // A receiver that refuses: 200 from the control plane, telling what happened.
                await receiver.setDown(true)
                let refused = try await client.control("/sandbox/events/\(eventID)/redeliver")
                #expect(refused.status == 200)
                #expect(refused["delivered"] == .bool(false))
                #expect(refused.integer("status") == 503)
                #expect(refused.string("error") == "HTTP 503")
            }
        }
    }

    @Test("redeliver: an unknown event is 404, an organization without webhook_url is 409")
    func redeliverRefusals() async throws {
        try await LiveAPI.withSandbox(configuration: ControlPlaneHarness.configuration()) { client, _ in
            for id in ["evt_doesnotexist", "nonsense", "evt_%20"] {
                let unknown = try await client.control("/sandbox/events/\(id)/redeliver")
                #expect(unknown.status == 404, "\(id)")
                #expect(unknown.isPlaidError)
            }
            #expect(try await client.createShareToken().status == 201)
            let eventID = try #require(try await client.api("/api/v1/events", as: ShareTokenHarness.source).listedIDs.first)
            let answer = try await client.control("/sandbox/events/\(eventID)/redeliver")
            #expect(answer.status == 409)
            #expect(answer.isPlaidError)
            #expect(answer.string("error_code") == "NO_WEBHOOK_URL")
        }
    }

    @Test("webhooks/test sends a signed sample event of each name the sandbox raises")
    func testEvents() async throws {
        let receiver = WebhookReceiver()
        let clock = ManualClock()
        try await receiver.run { url in
            let configuration = ControlPlaneHarness.configuration(clock: clock, seed: ShareTokenHarness.seed(webhookURL: url))
            try await LiveAPI.withSandbox(configuration: configuration) { client, _ in
                let names = EventName.shareTokenEvents.map(\.rawValue) + ["inquiry.completed"]
                for (index, name) in names.enumerated() {
                    let answer = try await client.control(
                        "/sandbox/webhooks/test", body: #"{"organization":"\#(ShareTokenHarness.destination.id)","name":"\#(name)"}"#)
                    #expect(answer.status == 200, "\(name): \(answer.bodyText)")
                    #expect(answer["delivered"] == .bool(true))
                    #expect(answer.string("name") == name)
                    #expect(answer.string("url") == url)
                    try await receiver.waitUntil { await $0.deliveries.count >= index + 1 }
                    let delivery = try #require(await receiver.deliveries.last)
                    try WebhookVerifier(secret: Self.secret).verify(body: delivery.body, signatureHeader: delivery.signature, now: clock.now)
                    let json = try JSONSerialization.jsonObject(with: Data(delivery.body)) as? [String: Any]
                    let data = try #require(json?["data"] as? [String: Any])
                    #expect(data["id"] as? String == answer.string("event_id"))
                    #expect((data["attributes"] as? [String: Any])?["name"] as? String == name)
                    if name.hasPrefix("connect/share-token.") {
                        let event = try WebhookVerifier(secret: Self.secret).event(
                            body: delivery.body, signatureHeader: delivery.signature, now: clock.now)
                        #expect(event.name.rawValue == name)
                        #expect(event.shareToken.direction == (name.contains("outbound") ? .outbound : .inbound))
                    }
                }
                // Sample events are not stored.
                #expect(try await client.api("/api/v1/events", as: ShareTokenHarness.destination).listedIDs.isEmpty)

                let unknownName = try await client.control(
                    "/sandbox/webhooks/test", body: #"{"organization":"\#(ShareTokenHarness.destination.id)","name":"share-token.made-up"}"#)
                #expect(unknownName.status == 400)
                #expect(unknownName.isPlaidError)
                for name in names { #expect(unknownName.string("error_message")?.contains(name) == true) }
                let unknownOrganization = try await client.control(
                    "/sandbox/webhooks/test", body: #"{"organization":"org_nobody","name":"inquiry.completed"}"#)
                #expect(unknownOrganization.status == 400)
                #expect(unknownOrganization.string("error_message")?.contains(ShareTokenHarness.source.id) == true)
                let noWebhook = try await client.control(
                    "/sandbox/webhooks/test", body: #"{"organization":"\#(ShareTokenHarness.source.id)","name":"inquiry.completed"}"#)
                #expect(noWebhook.status == 409)
                #expect(noWebhook.string("error_code") == "NO_WEBHOOK_URL")
                let missing = try await client.control("/sandbox/webhooks/test", body: #"{"name":"inquiry.completed"}"#)
                #expect(missing.status == 400)
                #expect(missing.string("error_code") == "MISSING_FIELDS")
                let extra = try await client.control(
                    "/sandbox/webhooks/test", body: #"{"organization":"org_source","name":"inquiry.completed","url":"http://x"}"#)
                #expect(extra.status == 400)
                #expect(extra.string("error_code") == "UNKNOWN_FIELDS")
            }
        }
    }
}
