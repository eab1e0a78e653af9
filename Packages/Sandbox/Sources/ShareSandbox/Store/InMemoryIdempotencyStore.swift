import Foundation
import NIOConcurrencyHelpers
import ShareModels

/// An ``IdempotencyStore`` in memory, for a sandbox without `--data`.
public final class InMemoryIdempotencyStore: IdempotencyStore {
    private struct Key: Hashable {
        var organization: OrganizationID
        var key: String
    }

    private let answers = NIOLockedValueBox<[Key: IdempotentAnswer]>([:])

    public init() {}

    public func idempotentAnswer(organization: OrganizationID, key: String) -> IdempotentAnswer? {
        answers.withLockedValue { $0[Key(organization: organization, key: key)] }
    }

    public func saveIdempotentAnswer(_ answer: IdempotentAnswer, pruningBefore cutoff: Date) {
        answers.withLockedValue { answers in
            answers = answers.filter { $0.value.createdAt >= cutoff }
            answers[Key(organization: answer.organization, key: answer.key)] = answer
        }
    }

    public func removeAllAnswers() { answers.withLockedValue { $0.removeAll() } }
}
