import Storage
import WebServer

/// A storage failure a client can do nothing about but try again (a full disk, an I/O error, a
/// lock held too long) answers 503 with `Retry-After`, so a webhook is redelivered rather than
/// lost; anything else stays a 500.
extension SQLiteError: HTTPErrorConvertible {
    public var httpError: HTTPError? { isStorageUnavailable ? .storageUnavailable : nil }
}
