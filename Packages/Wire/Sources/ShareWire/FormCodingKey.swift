/// A coding key made at run time: an array position (`0`, `1`…) or a name the encoder or decoder
/// had to invent (`super`).
struct FormCodingKey: CodingKey, Sendable {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }

    init(index: Int) { self.init(intValue: index) }

    /// The key `superEncoder()` and `superDecoder()` use.
    static let `super` = FormCodingKey(stringValue: "super")
}
