/// Reads the scalars of a form — every one of which travels as text — from a ``FormNode``.
///
/// Errors name the field and describe what was found ("non-numeric text", "an empty value"),
/// never the text itself.
enum FormScalar {
    /// The single value of `node`.
    @inline(__always)
    static func string(_ node: FormNode?, path: @autoclosure () -> [String]) throws(WireError) -> String {
        switch node {
        case .value(let text):
            return text
        case .values(let values):
            throw WireError(codingPath: path(), reason: "given \(values.count) times; expected one value")
        case .fields:
            throw WireError(codingPath: path(), reason: "expected a value, found nested fields")
        case nil:
            throw WireError(codingPath: path(), reason: "missing required field")
        }
    }

    /// `true` or `false`.
    static func bool(_ node: FormNode?, path: @autoclosure () -> [String]) throws(WireError) -> Bool {
        switch try string(node, path: path()) {
        case "true": return true
        case "false": return false
        case "": throw WireError(codingPath: path(), reason: "expected true or false, found an empty value")
        default: throw WireError(codingPath: path(), reason: "expected true or false, found other text")
        }
    }

    /// A decimal integer that fits `T`.
    @inline(__always)
    static func integer<T: FixedWidthInteger>(_ node: FormNode?, as type: T.Type, path: @autoclosure () -> [String])
        throws(WireError) -> T
    {
        let text = try string(node, path: path())
        if let value = T(text, radix: 10) { return value }
        throw WireError(codingPath: path(), reason: integerProblem(text, type))
    }

    /// A decimal or exponent number that parses as `T`.
    static func floatingPoint<T: LosslessStringConvertible & BinaryFloatingPoint>(
        _ node: FormNode?, as type: T.Type, path: @autoclosure () -> [String]
    ) throws(WireError) -> T {
        let text = try string(node, path: path())
        if let value = T(text) { return value }
        throw WireError(codingPath: path(), reason: "expected a number, found " + (text.isEmpty ? "an empty value" : "non-numeric text"))
    }

    /// Why `text` is not an integer of type `T`, without quoting it.
    private static func integerProblem<T: FixedWidthInteger>(_ text: String, _ type: T.Type) -> String {
        if text.isEmpty { return "expected an integer, found an empty value" }
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return "expected an integer from \(T.min) to \(T.max), found one out of range"
        }
        if Double(text) != nil { return "expected an integer, found a fractional number" }
        return "expected an integer, found non-numeric text"
    }
}
