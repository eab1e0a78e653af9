import Foundation

extension WireError {
    /// Translates an error thrown while encoding or decoding into a `WireError`.
    ///
    /// Foundation's messages are replaced by our own wording because some of them quote the input
    /// (`Number 1e999 is not representable`). A `DecodingError.dataCorrupted` raised by a type's
    /// own `init(from:)` keeps its description: those messages are written by ShareKit types and
    /// describe the expected shape, not the value.
    init(translating error: any Error) {
        switch error {
        case let error as WireError:
            self = error
        case let error as DecodingError:
            self.init(translating: error, json: nil)
        case let error as EncodingError:
            switch error {
            case .invalidValue(let value, let context):
                self.init(
                    codingPath: context.codingPath.map(Self.component),
                    reason: "cannot encode a value of type \(Self.typeName(type(of: value)))"
                )
            @unknown default:
                self.init(reason: "cannot encode the value")
            }
        default:
            self.init(reason: "rejected: \(Self.typeName(type(of: error)))")
        }
    }

    /// Translates a `DecodingError`. `json` is the document that failed, when it was JSON: it lets
    /// a failure Foundation reports as "not valid JSON" be told apart from a number that does not
    /// fit its field.
    init(translating error: DecodingError, json: Data?) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(
                codingPath: context.codingPath.map(Self.component),
                reason: "expected \(Self.article(for: type)), found \(Self.foundKind(in: context.debugDescription))"
            )
        case .valueNotFound(let type, let context):
            self.init(codingPath: context.codingPath.map(Self.component), reason: "expected \(Self.article(for: type)), found null")
        case .keyNotFound(let key, let context):
            self.init(codingPath: (context.codingPath + [key]).map(Self.component), reason: "missing required field")
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty, context.debugDescription == "The given data was not valid JSON." {
                if let json, let document = try? JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]) {
                    // Valid JSON that Foundation still refused: a number that does not fit its
                    // field. Name the field when only one number in the document could be it.
                    var suspects: [[String]] = []
                    Self.collectNumbersThatAreNotIntegers(in: document, path: [], into: &suspects)
                    self.init(
                        codingPath: suspects.count == 1 ? suspects[0] : [],
                        reason: "a number does not fit its field (fractional where an integer is expected, or out of range)"
                    )
                } else {
                    self.init(reason: "not valid JSON")
                }
            } else if context.underlyingError != nil, context.codingPath.isEmpty {
                self.init(reason: "not valid JSON")
            } else {
                self.init(codingPath: context.codingPath.map(Self.component), reason: context.debugDescription)
            }
        @unknown default:
            self.init(reason: "cannot decode the value")
        }
    }

    /// Collects the paths of numbers in a parsed JSON document that no integer field could hold:
    /// fractional, or beyond 64 bits. Stops after two, which is enough to know it is ambiguous.
    private static func collectNumbersThatAreNotIntegers(in value: Any, path: [String], into suspects: inout [[String]]) {
        guard suspects.count < 2 else { return }
        switch value {
        case let object as [String: Any]:
            for key in object.keys.sorted() {
                collectNumbersThatAreNotIntegers(in: object[key]!, path: path + [key], into: &suspects)
            }
        case let array as [Any]:
            for (index, element) in array.enumerated() {
                collectNumbersThatAreNotIntegers(in: element, path: path + [String(index)], into: &suspects)
            }
        case let number as NSNumber:
            if Int64(exactly: number.doubleValue) == nil { suspects.append(path) }
        default:
            break
        }
    }

    /// A coding key as a path component: its string, or its decimal index.
    static func component(_ key: any CodingKey) -> String {
        if let index = key.intValue, key.stringValue.hasPrefix("Index ") || key.stringValue == String(index) {
            return String(index)
        }
        return key.stringValue
    }

    /// "a string", "a dictionary"… read from Foundation's "but found X instead", restricted to
    /// the kinds Foundation names so that nothing else of the message can leak.
    static func foundKind(in debugDescription: String) -> String {
        guard let range = debugDescription.range(of: "but found ") else { return "another kind of value" }
        var kind = debugDescription[range.upperBound...]
        if let end = kind.range(of: " instead") { kind = kind[..<end.lowerBound] }
        switch kind {
        case "a string", "string": return "a string"
        case "a number", "number": return "a number"
        case "bool", "a bool", "a boolean": return "a boolean"
        case "a dictionary", "dictionary", "an object": return "an object"
        case "an array", "array": return "an array"
        case "null", "a null value": return "null"
        default: return "another kind of value"
        }
    }

    /// "an integer", "a string", "an object"… for a Swift type expected by a decoder.
    static func article(for type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            switch typeName(type) {
            case let name where name.hasPrefix("Array<"): "an array"
            case let name where name.hasPrefix("Dictionary<"): "an object"
            case let name: "a value of type \(name)"
            }
        }
    }

    /// The unqualified name of a type, e.g. `Int` or `Array<Any>`.
    static func typeName(_ type: Any.Type) -> String {
        String(describing: type)
    }
}
