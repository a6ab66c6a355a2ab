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
    public var isAddressInUse: Bool { errno == Self.addressInUse }
    /// The errno of an address (a port) already taken.
    public static let addressInUse: Int32 = EADDRINUSE

    /// The errno of a datagram larger than the path's MTU with Don't Fragment set (EMSGSIZE).
    public static let messageTooLarge: Int32 = EMSGSIZE
    /// The errno of a file larger than its reader's limit (EFBIG).
    public static let fileTooLarge: Int32 = EFBIG
}

/// What a system call came to once EINTR was retried: the value it returned, or the errno it failed with.
enum SystemCallResult<Value> {
    case returned(Value)
    case failed(errno: Int32)
}

/// Calls `body`, a system call that fails by returning -1 and setting errno, until it does not fail with EINTR.
///
/// Returns the call's value, or the errno of any other failure for the caller to act on (EAGAIN, ECONNREFUSED, ...).
/// Allocates nothing and formats nothing, so the per-packet paths call it too.
@inline(__always)
func retryingInterrupts<T: FixedWidthInteger>(_ body: () -> T) -> SystemCallResult<T> {
    while true {
        let result = body()
        if result != -1 { return .returned(result) }
        let error = errno
        if error != EINTR { return .failed(errno: error) }
    }
}

/// Calls `body`, a function that returns 0 or an error number instead of setting errno (clock_nanosleep(2)), until
/// it does not return EINTR. Returns `.returned(0)`, or the other error number as `.failed`. Allocates nothing.
///
/// A name of its own, not a label on `retryingInterrupts`: a trailing closure would match a labelled parameter too,
/// and a call of the -1/errno kind that returns Int32 (wait4, recvmmsg) would be read as an error number.
@inline(__always)
func errorNumberRetryingInterrupts(_ body: () -> Int32) -> SystemCallResult<Int32> {
    while true {
        let result = body()
        if result == 0 { return .returned(0) }
        if result != EINTR { return .failed(errno: result) }
    }
}

/// Calls `body`, a system call that fails by returning -1 and setting errno, until it does not fail with EINTR;
/// throws a `SystemError` naming `function` with the errno of any other failure.
///
/// `function` is evaluated on that failure only, so a name that carries a path costs nothing when the call succeeds.
@discardableResult
@inline(__always)
func retryingInterrupts<T: FixedWidthInteger>(
    _ function: @autoclosure () -> String, _ body: () -> T
) throws(SystemError) -> T {
    switch retryingInterrupts(body) {
    case .returned(let value): return value
    case .failed(let errno): throw SystemError(function(), errno: errno)
    }
}
