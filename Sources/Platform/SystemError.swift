import Glibc

/// A failed system call: the C function's name and the errno it left.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public var function: String
    public var errno: Int32

    public init(_ function: String, errno: Int32 = Glibc.errno) {
        self.function = function
        self.errno = errno
    }

    public var description: String { "\(function): \(Self.reason(errno))" }

    /// What an errno means, in the C library's words (strerror).
    public static func reason(_ errno: Int32) -> String { String(cString: strerror(errno)) }

    /// Whether a send failed for a full send buffer (EAGAIN or EWOULDBLOCK on a send that does not wait, ENOBUFS).
    public static func isSendBufferFull(_ errno: Int32) -> Bool {
        errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS
    }

    /// The address (a port) is taken (EADDRINUSE).
    public var isAddressInUse: Bool { errno == EADDRINUSE }

    /// The errno of a datagram larger than the path's MTU with Don't Fragment set (EMSGSIZE).
    public static let messageTooLarge: Int32 = EMSGSIZE
    /// The errno of a file larger than its reader's limit (EFBIG).
    public static let fileTooLarge: Int32 = EFBIG
}

/// Calls `body` until it does not fail with EINTR; throws a `SystemError` naming `function` on -1.
@discardableResult
func retryingInterrupts<T: FixedWidthInteger>(_ function: String, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        if errno != EINTR { throw SystemError(function) }
    }
}
