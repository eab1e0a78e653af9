import ShareClient

/// The detailed error a ``ShareClientError`` carries (or `error` itself when it is not one), as
/// `Detail`: what the tests assert on beneath the clients' one error type.
func detail<Detail: Error>(_ error: any Error, _ type: Detail.Type) -> Detail? {
    ((error as? ShareClientError)?.underlyingError ?? error) as? Detail
}
