import ArgumentParser

/// `as [ORG]`: the organization share-token commands act as from now on — so that one session
/// can create a share token as the lender and redeem it as the bank. Without `ORG`, tells the
/// organization in use and the ones known. `as ORG COMMAND …` runs one command as `ORG` and
/// leaves the organization in use as it was (``ShellInterpreter`` reads that form before parsing).
struct AsCommand: ParsableCommand, ShellRunnable {
    static let configuration = CommandConfiguration(
        commandName: "as",
        abstract: "Act as another organization in share-token and events commands (the prompt shows it); `as ORG COMMAND` for one command.",
        discussion: """
            On the embedded sandbox: org_demo-lender (the default) and org_demo-bank. Through a \
            --gateway, any organization the gateway holds an API key for (sent as Share-Organization). \
            Elsewhere, ORG's API key comes from SHARE_API_KEY_<ORG> (org_demo-bank: SHARE_API_KEY_ORG_DEMO_BANK). \
            Also a global option: share --as ORG …

            Example:
              share-token create --connection … --source inq_demo
              as org_demo-bank
              share-token redeem $last.id

            With a command after ORG, only that command acts as ORG:
              as org_demo-bank share-token redeem $last.id
            """
    )

    @Argument(help: "The organization id; none to show the one in use.")
    var organization: String?

    @OptionGroup var outputOptions: OutputOptions

    func run(in context: ShellContext) async throws -> CommandOutcome {
        guard let organization else {
            let current = context.actingAs ?? "SHARE_API_KEY's organization" + (context.defaultOrganization.map { " (\($0))" } ?? "")
            let listing = context.organizations.listing
            return .message("acting as \(current)" + (listing.isEmpty ? "" : "; known: \(listing.joined(separator: ", "))"))
        }
        return .actAs(organization)
    }
}
