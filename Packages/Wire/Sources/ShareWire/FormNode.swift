/// One named entry of a parsed form: a value, a repeated value, or nested fields.
enum FormNode {
    /// `name=value`, given once.
    case value(String)
    /// `name=a&name=b` or `name[]=a&name[]=b`: two or more values, in order.
    case values([String])
    /// `name[child]=…`: nested fields.
    case fields(FormFields)

    /// What this node is, for error messages: never its content.
    var kindDescription: String {
        switch self {
        case .value: "a value"
        case .values(let values): "\(values.count) values for the same field"
        case .fields: "nested fields"
        }
    }

    /// Whether the node counts as absent: OAuth (RFC 6749 §3.1) treats a parameter sent without a
    /// value as omitted.
    var isEmptyValue: Bool {
        if case .value(let text) = self { return text.isEmpty }
        return false
    }
}
