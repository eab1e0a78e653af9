/// The "Try it" console's files, embedded in the binary so the gateway needs no resource
/// directory, CDN or build step: ``page``, ``script`` and ``style`` are in their own files.
enum ConsoleAssets {}
