/// Rewrites the object keys of a JSON text, leaving every other byte as it is: values (strings
/// included), numbers, whitespace and order are untouched, so nothing but the keys can change.
///
/// A key holding an escape sequence is kept as it is (the API's own keys never need one).
enum JSONKeyRewriter {
    /// `json` with each object key replaced by `transform(key)`, or `nil` when `json` ends
    /// inside a string (it is then not JSON, and is best left for the parser to refuse).
    static func rewrite(_ json: [UInt8], _ transform: (String) -> String) -> [UInt8]? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":")
        var output: [UInt8] = []
        output.reserveCapacity(json.count)
        var index = 0
        while index < json.count {
            let byte = json[index]
            guard byte == quote else {
                output.append(byte)
                index += 1
                continue
            }
            var end = index + 1
            var escaped = false
            while end < json.count && json[end] != quote {
                if json[end] == backslash {
                    escaped = true
                    end += 2
                } else {
                    end += 1
                }
            }
            guard end < json.count else { return nil }
            var next = end + 1
            while next < json.count, [0x20, 0x09, 0x0A, 0x0D].contains(json[next]) { next += 1 }
            if !escaped, next < json.count, json[next] == colon {
                let key = String(decoding: json[(index + 1)..<end], as: UTF8.self)
                output.append(quote)
                output.append(contentsOf: Array(transform(key).utf8))
                output.append(quote)
            } else {
                output.append(contentsOf: json[index...end])
            }
            index = end + 1
        }
        return output
    }
}
