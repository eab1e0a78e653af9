extension KeyedDecodingContainer {
    /// Like `decodeIfPresent`, for a member Plaid's OpenAPI document declares as a string that is
    /// not `nullable`: a JSON `null` there is a type error ("expected a string, found null"), not
    /// an absent member. An empty form value (`client_id=`) still reads as absent, as it always
    /// has in forms.
    func decodeDeclaredStringIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard contains(key) else { return nil }
        guard try decodeNil(forKey: key) else { return try decode(T.self, forKey: key) }
        // JSON null throws here; a form's empty value decodes as "".
        _ = try decode(String.self, forKey: key)
        return nil
    }
}
