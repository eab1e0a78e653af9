import Foundation

// share-bench BENCHMARK — each benchmark lives in its own file and is registered here.
let benchmarks: [(name: String, summary: String, run: () throws -> Void)] = [
    ("wire", "form encode+decode of an OAuthTokenRequest vs Foundation JSONEncoder+JSONDecoder", { try WireCodecBenchmark().run() }),
]

let arguments = CommandLine.arguments.dropFirst()
guard let name = arguments.first, let benchmark = benchmarks.first(where: { $0.name == name }) else {
    var usage = "usage: share-bench BENCHMARK\n\nbenchmarks:\n"
    for benchmark in benchmarks { usage += "  \(benchmark.name)  \(benchmark.summary)\n" }
    FileHandle.standardError.write(Data(usage.utf8))
    exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 64)
}
do {
    try benchmark.run()
} catch {
    FileHandle.standardError.write(Data("share-bench \(name): \(error)\n".utf8))
    exit(1)
}
