import ShareWire

/// Decodes `bytes` as `T` in `format` and, when that succeeds, checks that encoding the value and
/// decoding it again gives the same value: whatever the decoder accepts, the encoder can say.
enum RoundTrip {
    static func check<T: Codable & Equatable>(_ type: T.Type, _ bytes: [UInt8], format: WireFormat) {
        let value: T
        do { value = try format.decode(T.self, from: bytes) } catch { return }
        let encoded: [UInt8]
        do { encoded = try format.encode(value) } catch {
            FuzzFailure.stop("\(T.self) decoded from \(format) but does not encode: \(error)")
        }
        do {
            let again = try format.decode(T.self, from: encoded)
            FuzzFailure.require(again == value, "\(T.self) changed across a \(format) round trip")
        } catch {
            FuzzFailure.stop("\(T.self) re-encoded as \(format) does not decode: \(error)")
        }
    }
}
