import ArgumentParser
import SharePartners
import ShareWire

/// `partners`: the partner registry.
struct PartnersCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(
        commandName: "partners",
        abstract: "List the partners tokens can be shared with."
    )

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome {
        .result(.array(context.partners.adapters.map { adapter in
            .object([
                "id": .string(adapter.id.rawValue),
                "name": .string(adapter.displayName),
                "audience": .string(adapter.audienceURN.rawValue),
                "aliases": .array(adapter.aliases.map(JSONValue.string)),
                "default_scope": .string(adapter.defaultScope.wireValue),
            ])
        }))
    }
}
