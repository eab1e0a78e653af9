import HTTPTypes

extension HTTPFields {
    /// The value of the field `name`: exactly what `self[name]` answers (`nil` when absent; a
    /// field given more than once, its values joined as that subscript joins them), in one pass
    /// over the fields.
    ///
    /// Hand-written because swift-http-types' subscript builds its answer through a lazy
    /// sequence joined generically, which resolves generic metadata at run time on every read: in
    /// the profile of an introspection, a tenth of the request's cost outside the sandbox's own
    /// work went to the ten or so header reads every request makes. A repeated field still goes
    /// through the subscript, so the two can never answer differently.
    func value(of name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            if found != nil { return self[name] }
            found = field.value
        }
        return found
    }
}
