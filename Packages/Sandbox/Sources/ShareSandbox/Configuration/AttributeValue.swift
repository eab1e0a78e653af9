public import ShareWire

/// Any JSON value: the free-form `attributes` of a share-token record, and test reads of answers.
/// ShareWire's `JSONValue`, under the name the share-token code reads best with.
public typealias AttributeValue = JSONValue
