import Foundation

// The SandboxRetentionStore half of SandboxStore (which refines it).
extension InMemorySandboxStore {
    public func purge(finishedBefore cutoff: Date, batchSize: Int = 500) -> SandboxPurge {
        let batch = max(1, batchSize)
        let seconds = cutoff.timeIntervalSince1970
        var purge = SandboxPurge()
        purge.tokens = purgeInSteps(of: batch, \.oauth.familyOrder) { family, state in
            state.oauth.removeFamily(family, endedBefore: seconds)
        }
        purge.shareTokens = purgeInSteps(of: batch, \.shareTokens.shareTokenOrder) { id, state in
            guard let token = state.shareTokens.shareTokens[id] else { return 0 }
            guard let finished = token.finishedAt, finished < cutoff else { return nil }
            state.shareTokens.shareTokens[id] = nil
            return 1
        }
        purge.events = purgeInSteps(of: batch, \.shareTokens.eventOrder) { id, state in
            guard let event = state.shareTokens.events[id] else { return 0 }
            guard let finished = event.finishedAt, finished < cutoff else { return nil }
            state.shareTokens.events[id] = nil
            return 1
        }
        purge.workflowRuns = purgeInSteps(of: batch, \.shareTokens.workflowRuns) { run, _ in run.createdAt < cutoff ? 1 : nil }
        return purge
    }

    /// Walks the list at `list` from its start, `batch` entries per hold of the lock: `remove`
    /// deletes what an entry names and answers how many rows that was, or `nil` to keep it; the
    /// entries removed leave the list. Answers the rows removed in all.
    private func purgeInSteps<Element>(
        of batch: Int, _ list: WritableKeyPath<State, [Element]>, removing remove: (Element, inout State) -> Int?
    ) -> Int {
        var position = 0
        var total = 0
        while true {
            let finished = withState { state -> Bool in
                let end = min(position + batch, state[keyPath: list].count)
                guard position < end else { return true }
                let window = Array(state[keyPath: list][position..<end])
                var kept: [Element] = []
                for element in window {
                    if let removed = remove(element, &state) { total += removed } else { kept.append(element) }
                }
                state[keyPath: list].replaceSubrange(position..<end, with: kept)
                position += kept.count
                return false
            }
            if finished { return total }
        }
    }
}
