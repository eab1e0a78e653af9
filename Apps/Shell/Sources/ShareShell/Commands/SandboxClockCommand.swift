import ArgumentParser
import ShareClient
import ShareWire

/// `sandbox clock [show|advance AMOUNT|reset]`: the sandbox's clock.
struct SandboxClockCommand: ShellCommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "clock",
        abstract: "Show the sandbox's clock (GET /sandbox/clock).",
        subcommands: [Show.self, Advance.self, Reset.self],
        defaultSubcommand: Show.self
    )

    static let examples = [
        "sandbox clock",
        "sandbox clock advance 90m",
        "sandbox clock reset",
    ]

    struct Show: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Show the sandbox's time and how far it runs ahead of the real time (GET /sandbox/clock).")

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(try JSONValue(encoding: try await SandboxCommand.calling(context) { try await $0.clock() }))
        }
    }

    struct Advance: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Move the sandbox's clock forward, e.g. `advance 14d` (POST /sandbox/clock/advance).",
            usage: "share sandbox clock advance <amount> [--json] [--table] [--reveal] [--quiet]",
            discussion: "Tokens, share tokens and events then age as if that time had passed.")

        // Every word the command does not know is taken (`.allUnrecognized`) so that `-5d`
        // reaches ClockAdvanceAmount, which says the clock only moves forward, rather than
        // being read as an unknown option; validate() then refuses a real unknown option as the
        // parser would and wants exactly one amount.
        @Argument(
            parsing: .allUnrecognized,
            help: ArgumentHelp("How far: a whole number and a unit, s, m, h or d (30s, 90m, 1h, 14d).", valueName: "amount"))
        var amount: [String] = []

        @OptionGroup var outputOptions: OutputOptions

        func validate() throws {
            _ = try parsedAmount()
        }

        /// The one amount given, before or after a `--` (which ends the options).
        private func parsedAmount() throws -> ClockAdvanceAmount {
            let beforeOptionsEnd = amount.prefix { $0 != "--" }
            let amount = Array(beforeOptionsEnd) + self.amount.dropFirst(beforeOptionsEnd.count + 1)
            for word in beforeOptionsEnd where word.hasPrefix("-") && word.dropFirst().first?.isNumber != true {
                // An option this command does not know, in the parser's own words ("did you mean").
                do {
                    _ = try OutputOptions.parse([word])
                } catch {
                    throw ValidationError(OutputOptions.message(for: error))
                }
            }
            guard amount.count == 1 else {
                throw ValidationError(
                    amount.isEmpty ? "give how far to move the clock, e.g. `advance 14d`" : "give one amount, e.g. `advance 14d`; got \(amount.count)")
            }
            return try ClockAdvanceAmount(parsing: amount[0])
        }

        func run(in context: ShellContext) async throws -> CommandOutcome {
            let parsed = try parsedAmount()
            return .result(try JSONValue(encoding: try await SandboxCommand.calling(context) { try await $0.advance(seconds: parsed.seconds) }))
        }
    }

    struct Reset: ParsableCommand, ShellRunnable {
        static let configuration = CommandConfiguration(
            abstract: "Set the sandbox's clock back to the real time (POST /sandbox/clock/reset).")

        @OptionGroup var outputOptions: OutputOptions

        func run(in context: ShellContext) async throws -> CommandOutcome {
            .result(try JSONValue(encoding: try await SandboxCommand.calling(context) { try await $0.resetClock() }))
        }
    }
}
