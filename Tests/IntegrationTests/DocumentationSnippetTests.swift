import Foundation
import Testing

/// Every Swift code block of the README and docs/ is tied by a marker on the line before it to a
/// file that CI compiles, so the documentation can only show code that builds:
///
/// - `<!-- compiled: PATH -->`: the block is the file, byte for byte (a whole example).
/// - `<!-- compiled in: PATH -->`: the block stands in the file line for line — its `import`
///   lines anywhere in the file, its other lines one after another, indented alike (an example
///   that uses names a service would have, `client` or `refreshToken`, which the file's function
///   around it declares).
/// - `<!-- excerpt of: PATH -->`: every line of the block is a line of the file, in order (a
///   library declaration shown without its documentation comments).
///
/// The Swift blocks of the packages' DocC catalogs and of the documentation comments in their
/// sources (which DocC shows on each symbol's page) carry no marker: each stands as a `compiled in`
/// block does, in Tests/Consumer/Sources/Consumer/CatalogExamples.swift and
/// DocCommentExamples.swift respectively.
///
/// scripts/test-consumer builds and runs the files of Tests/Consumer against ShareKit resolved by
/// URL, and `swift test` builds the library and runs a marked test file (docs/client.md's testing
/// example).
@Suite struct DocumentationSnippetTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Snippet: CustomStringConvertible {
        enum Kind: String {
            case compiled = "compiled"
            case compiledIn = "compiled in"
            case excerpt = "excerpt of"
        }

        let document: String
        let line: Int
        let kind: Kind?
        let file: String
        let code: String
        var description: String { "\(document):\(line) → \(kind?.rawValue ?? "no marker") \(file)" }
    }

    /// The documents whose Swift blocks must be marked.
    static func documents() throws -> [String] {
        let docs = repository.appendingPathComponent("docs")
        let names = try FileManager.default.contentsOfDirectory(atPath: docs.path).filter { $0.hasSuffix(".md") }.sorted()
        return ["README.md"] + names.map { "docs/" + $0 }
    }

    /// The Swift code blocks of `document`: where each starts, the line before it, and its code.
    static func blocks(of document: String) throws -> [(line: Int, before: String, code: String)] {
        let text = try String(contentsOf: repository.appendingPathComponent(document), encoding: .utf8)
        return fencedBlocks(in: text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// The ```` ```swift ```` blocks of `lines`: the line of each fence (from 1), the line before
    /// it, and the code up to the closing fence. A `nil` line is outside the text being read (a
    /// source line that is not a documentation comment) and ends a block as a closing fence does.
    static func fencedBlocks(in lines: [String?]) -> [(line: Int, before: String, code: String)] {
        var blocks: [(line: Int, before: String, code: String)] = []
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            guard lines[index] == "```swift" else { continue }
            var code: [String] = []
            var end = index + 1
            while end < lines.count, let line = lines[end], line != "```" {
                code.append(line)
                end += 1
            }
            blocks.append((index + 1, index > 0 ? lines[index - 1] ?? "" : "", code.joined(separator: "\n") + "\n"))
            index = end
        }
        return blocks
    }

    /// The repository's files under `folders` whose paths (relative to the folder) satisfy
    /// `include`, as repository paths, sorted.
    static func files(under folders: [String], where include: (String) -> Bool) -> [String] {
        var found: [String] = []
        for folder in folders {
            let enumerator = FileManager.default.enumerator(atPath: repository.appendingPathComponent(folder).path)
            while let path = enumerator?.nextObject() as? String {
                if include(path) { found.append(folder + "/" + path) }
            }
        }
        return found.sorted()
    }

    /// Every Swift code block of README.md and docs/*.md, with the marker before it (if any).
    static func swiftBlocks() throws -> [Snippet] {
        try documents().flatMap { document in
            try blocks(of: document).map { block in
                var marker: (Snippet.Kind, String)?
                if block.before.hasPrefix("<!-- "), block.before.hasSuffix(" -->") {
                    let inner = String(block.before.dropFirst("<!-- ".count).dropLast(" -->".count))
                    for kind in [Snippet.Kind.compiledIn, .excerpt, .compiled] where inner.hasPrefix(kind.rawValue + ": ") {
                        marker = (kind, String(inner.dropFirst(kind.rawValue.count + 2)))
                        break
                    }
                }
                return Snippet(document: document, line: block.line, kind: marker?.0, file: marker?.1 ?? "", code: block.code)
            }
        }
    }

    /// The marked blocks.
    static func markedSnippets() throws -> [Snippet] { try swiftBlocks().filter { $0.kind != nil } }

    @Test func theReadmeAndTheGuidesMarkTheirExamples() throws {
        let files = Set(try Self.markedSnippets().map(\.file))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/ShareReport.swift"))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/QuickStart.swift"))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/LocalSandbox.swift"))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/NorthwindBureau.swift"))
        #expect(files.contains("Tests/Consumer/Sources/Consumer/DocumentedFragments.swift"))
        #expect(files.contains("Tests/ShareClientTests/TimeAndFailureExampleTests.swift"))
    }

    /// The file that holds the DocC catalogs' examples.
    static let catalogExamples = "Tests/Consumer/Sources/Consumer/CatalogExamples.swift"

    /// Every Swift block of the packages' DocC catalogs, to stand in ``catalogExamples`` (DocC
    /// articles carry no markers).
    static func catalogBlocks() throws -> [Snippet] {
        try files(under: ["Packages"]) { $0.contains(".docc/") && $0.hasSuffix(".md") }.flatMap { document in
            try blocks(of: document).map {
                Snippet(document: document, line: $0.line, kind: .compiledIn, file: catalogExamples, code: $0.code)
            }
        }
    }

    @Test func theCatalogsHaveExamples() throws {
        #expect(try Self.catalogBlocks().count >= 13)
    }

    /// The file that holds the examples of the sources' documentation comments.
    static let docCommentExamples = "Tests/Consumer/Sources/Consumer/DocCommentExamples.swift"

    /// Every Swift block of a documentation comment (`///`) in the packages' and apps' sources,
    /// its lines without the comment marker and the one space after it, to stand in
    /// ``docCommentExamples``.
    static func docCommentBlocks() throws -> [Snippet] {
        try files(under: ["Packages", "Apps"]) { $0.contains("Sources/") && $0.hasSuffix(".swift") }.flatMap { source in
            let text = try String(contentsOf: repository.appendingPathComponent(source), encoding: .utf8)
            return docCommentBlocks(in: text).map {
                Snippet(document: source, line: $0.line, kind: .compiledIn, file: docCommentExamples, code: $0.code)
            }
        }
    }

    /// The Swift blocks of the documentation comments of `source`: the line of each block's fence
    /// and its code (each line without `///` and the one space after it).
    static func docCommentBlocks(in source: String) -> [(line: Int, code: String)] {
        let comments = source.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("///") else { return nil }
            let text = trimmed.dropFirst(3)
            return String(text.hasPrefix(" ") ? text.dropFirst() : text)
        }
        return fencedBlocks(in: comments).map { ($0.line, $0.code) }
    }

    @Test func theSourcesHaveDocCommentExamples() throws {
        #expect(try Self.docCommentBlocks().count >= 28)
    }

    @Test func everySwiftBlockIsMarked() throws {
        let unmarked = try Self.swiftBlocks().filter { $0.kind == nil }
        #expect(unmarked.isEmpty, "Swift blocks without a compiled/compiled in/excerpt of marker: \(unmarked)")
    }

    @Test(arguments: try markedSnippets() + catalogBlocks() + docCommentBlocks())
    func aMarkedBlockStandsInItsFile(_ snippet: Snippet) throws {
        let file = try String(contentsOf: Self.repository.appendingPathComponent(snippet.file), encoding: .utf8)
        switch snippet.kind {
        case .compiled:
            #expect(snippet.code == file, "\(snippet) shows code that differs from the file")
        case .compiledIn:
            #expect(Self.stands(snippet.code, in: file), "\(snippet): the block's lines do not stand in the file one after another")
        case .excerpt:
            #expect(Self.isExcerpt(snippet.code, of: file), "\(snippet): a line of the block is not in the file, in order")
        case nil:
            Issue.record("\(snippet) has no marker")
        }
    }

    /// Whether `code`'s `import` lines are lines of `file` and its other lines (leading blank
    /// lines dropped) are consecutive lines of `file` once one indentation is removed from them.
    static func stands(_ code: String, in file: String) -> Bool {
        let fileLines = file.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var lines = code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        let imports = lines.filter { $0.hasPrefix("import ") }
        guard imports.allSatisfy(fileLines.contains) else { return false }
        var body = Array(lines.drop { $0.hasPrefix("import ") || $0.isEmpty })
        while body.first?.isEmpty == true { body.removeFirst() }
        guard let first = body.first else { return false }
        for (start, line) in fileLines.enumerated() where line.hasSuffix(first) {
            let indentation = String(line.dropLast(first.count))
            guard indentation.allSatisfy({ $0 == " " }), start + body.count <= fileLines.count else { continue }
            let matches = zip(body, fileLines[start..<start + body.count]).allSatisfy { expected, actual in
                expected.isEmpty ? actual.trimmingCharacters(in: .whitespaces).isEmpty : actual == indentation + expected
            }
            if matches { return true }
        }
        return false
    }

    /// Whether every non-blank line of `code` is a line of `file` (both trimmed), in order.
    static func isExcerpt(_ code: String, of file: String) -> Bool {
        var fileLines = file.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }[...]
        for line in code.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) where !line.isEmpty {
            guard let found = fileLines.firstIndex(of: line) else { return false }
            fileLines = fileLines[(found + 1)...]
        }
        return true
    }

    @Test("the checks refuse what they should")
    func checksCanFail() {
        let file = "import A\n\nfunc f() {\n    let a = 1\n    let b = 2\n}\n"
        #expect(Self.stands("import A\nlet a = 1\nlet b = 2\n", in: file))
        #expect(!Self.stands("import B\nlet a = 1\n", in: file))
        #expect(!Self.stands("let a = 1\nlet c = 3\n", in: file))
        #expect(!Self.stands("let b = 2\nlet a = 1\n", in: file))
        #expect(Self.isExcerpt("func f() {\n}\n", of: file))
        #expect(!Self.isExcerpt("}\nfunc f() {\n", of: file))
        let source = "/// A.\n///\n/// ```swift\n/// let a = 1\n///\n///     let b = 2\n/// ```\nstruct A {}\n"
        #expect(Self.docCommentBlocks(in: source).map(\.code) == ["let a = 1\n\n    let b = 2\n"])
        #expect(Self.docCommentBlocks(in: "// ```swift\n// let a = 1\n// ```\n").isEmpty)
    }
}
