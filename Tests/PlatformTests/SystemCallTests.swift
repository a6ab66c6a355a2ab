import Glibc
import Interfaces
import Testing

@testable import Platform

/// The one EINTR-retrying helper, driven by bodies that set errno as a failing system call would.
@Suite struct RetryingInterruptsTests {
    @Test("a call interrupted twice is made three times and returns what the third returned")
    func interruptedTwiceThenSucceeds() throws {
        var calls = 0
        let result = try retryingInterrupts("fake") { () -> Int in
            calls += 1
            guard calls > 2 else {
                errno = EINTR
                return -1
            }
            return 42
        }
        #expect(result == 42)
        #expect(calls == 3)
    }

    @Test("a call failing with another errno is made once and throws a SystemError with its name and errno")
    func otherErrnoThrows() {
        var calls = 0
        #expect(throws: SystemError("pread /nowhere", errno: EIO)) {
            try retryingInterrupts("pread /nowhere") { () -> Int in
                calls += 1
                errno = EIO
                return -1
            }
        }
        #expect(calls == 1)
    }

    @Test("the function's name is made only when the call fails")
    func nameMadeOnFailureOnly() throws {
        var names = 0
        func name() -> String {
            names += 1
            return "write /somewhere"
        }
        try retryingInterrupts(name()) { Int32(0) }
        #expect(names == 0)
        #expect(throws: SystemError("write /somewhere", errno: ENOSPC)) {
            try retryingInterrupts(name()) { () -> Int32 in
                errno = ENOSPC
                return -1
            }
        }
        #expect(names == 1)
    }

    @Test("the non-throwing form retries EINTR and hands back any other errno")
    func returnsErrno() {
        var calls = 0
        let result = retryingInterrupts { () -> Int in
            calls += 1
            errno = calls == 1 ? EINTR : EAGAIN
            return -1
        }
        guard case .failed(let errno) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(errno == EAGAIN)
        #expect(calls == 2)
        guard case .returned(let value) = retryingInterrupts({ Int32(7) }) else {
            Issue.record("expected a value")
            return
        }
        #expect(value == 7)
    }

    /// A trailing closure of Int32 (what wait4 and recvmmsg return) is the -1/errno kind: 1 is a value, not an
    /// error number (it was, while the error-number form was a labelled overload of the same name).
    @Test("a trailing closure returning Int32 is read as a -1/errno call")
    func trailingInt32ClosureIsErrnoKind() {
        let result = retryingInterrupts { Int32(1) }
        guard case .returned(1) = result else {
            Issue.record("expected the value 1, got \(result)")
            return
        }
    }

    @Test("a call that returns its error number (clock_nanosleep) is retried on EINTR and hands back another one")
    func errorNumberConvention() {
        var calls = 0
        let interrupted = errorNumberRetryingInterrupts {
            calls += 1
            return calls <= 2 ? EINTR : 0
        }
        guard case .returned(0) = interrupted else {
            Issue.record("expected success, got \(interrupted)")
            return
        }
        #expect(calls == 3)
        calls = 0
        let refused = errorNumberRetryingInterrupts {
            calls += 1
            return EINVAL
        }
        guard case .failed(let errno) = refused else {
            Issue.record("expected a failure, got \(refused)")
            return
        }
        #expect(errno == EINVAL)
        #expect(calls == 1)
    }
}

/// Real wrappers that go through the helper: files in a folder of their own, UDP sockets on 127.0.0.1 with ports
/// the kernel chose.
@Suite struct SystemCallWrapperTests {
    /// A new folder under /tmp (mkdtemp(3)).
    private func temporaryFolder() throws -> String {
        var template = Array("/tmp/audiostreamer-platform-tests-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw SystemError("mkdtemp")
        }
        return String(cString: made)
    }

    @Test("a file written atomically reads back through ReadOnlyFile, byte for byte")
    func fileReadsBack() throws {
        let folder = try temporaryFolder()
        let path = folder + "/bytes"
        defer {
            FileSystem.remove(path)
            FileSystem.remove(folder)
        }
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try FileSystem.writeAtomically(bytes, to: path)
        let file = try ReadOnlyFile(path: path)
        #expect(file.byteCount == bytes.count)
        var read = [UInt8](repeating: 0, count: 4_000)
        let count = try read.withUnsafeMutableBytes { try file.read(at: 9_000, into: $0) }
        #expect(count == 1_000)
        #expect(Array(read.prefix(count)) == Array(bytes[9_000...]))
        #expect(try FileSystem.readFile(path, limit: 1 << 20) == bytes)
    }

    @Test("opening a missing file throws open's SystemError with ENOENT")
    func missingFile() throws {
        let folder = try temporaryFolder()
        defer { FileSystem.remove(folder) }
        #expect(throws: SystemError("open", errno: ENOENT)) { try ReadOnlyFile(path: folder + "/missing") }
    }

    @Test("a datagram sent on a connected socket arrives at its peer on 127.0.0.1")
    func datagramArrives() throws {
        let receiver = try UDPSocket(family: .ipv4)
        try receiver.bind(to: .loopback(.ipv4, port: 0), reusingAddress: false)
        receiver.setReceiveTimeout(milliseconds: 2_000)
        let destination = try receiver.localEndpoint()
        #expect(destination.port != 0)
        let sender = try UDPSocket(family: .ipv4)
        try sender.connect(to: destination)
        let datagram: [UInt8] = [0x80, 0x0B, 0x00, 0x01, 0xDE, 0xAD, 0xBE, 0xEF]
        #expect(datagram.withUnsafeBytes { sender.send($0) } == .sent)
        var buffer = [UInt8](repeating: 0, count: 64)
        let received = try buffer.withUnsafeMutableBytes { try receiver.receive(into: $0) }
        #expect(received?.count == datagram.count)
        #expect(Array(buffer.prefix(datagram.count)) == datagram)
        #expect(received?.realtimeNanoseconds == 0)  // no SO_TIMESTAMPNS asked
    }

    @Test("a receive that times out (EAGAIN) gives nil, not an error")
    func receiveTimesOut() throws {
        let receiver = try UDPSocket(family: .ipv4)
        try receiver.bind(to: .loopback(.ipv4, port: 0), reusingAddress: false)
        receiver.setReceiveTimeout(milliseconds: 20)
        var buffer = [UInt8](repeating: 0, count: 64)
        let received = try buffer.withUnsafeMutableBytes { try receiver.receive(into: $0) }
        #expect(received == nil)
    }

    @Test("datagrams sent to 127.0.0.1 come out of a BatchReceiver (recvmmsg) whole, with their sender")
    func batchReceiverReceives() throws {
        let socket = try UDPSocket(family: .ipv4)
        try socket.bind(to: .loopback(.ipv4, port: 0), reusingAddress: false)
        let receiver = try BatchReceiver(sockets: [socket], batchCount: 4, receiveBuffer: 1 << 16)
        let sender = try UDPSocket(family: .ipv4)
        try sender.connect(to: try socket.localEndpoint())
        let datagrams: [[UInt8]] = (0..<6).map { [0x80, 0x60, 0x00, UInt8($0)] }
        for datagram in datagrams { #expect(datagram.withUnsafeBytes { sender.send($0) } == .sent) }
        var received: [[UInt8]] = []
        var sources: Set<Endpoint> = []
        for _ in 0..<100 where received.count < datagrams.count {
            _ = receiver.receive(waitingMilliseconds: 20) { index, bytes, source, arrival in
                #expect(index == 0)
                #expect(arrival > 0)
                received.append(Array(bytes))
                sources.insert(source)
            }
        }
        #expect(received == datagrams)
        #expect(sources == [try sender.localEndpoint()])
    }

    @Test("a child process is reaped (wait4) with its exit status")
    func childProcessReaped() throws {
        for (program, status) in [("true", Int32(0)), ("false", 1)] {
            let child = try ChildProcess(arguments: [program], quiet: true)
            var pause = timespec(tv_sec: 0, tv_nsec: 10_000_000)
            for _ in 0..<500 where !child.hasEnded() { nanosleep(&pause, nil) }
            #expect(child.status == status, "\(program)")
            #expect(child.cpuNanoseconds != nil)
        }
    }

    @Test("a send that reports an earlier datagram's port unreachable (ECONNREFUSED) is sent again")
    func refusalIsSentAgain() throws {
        // A port of the test's own that takes nothing from the sender: its socket is connected to another peer, so
        // the kernel finds no socket for the sender's datagrams and answers ICMP port unreachable. (A port whose
        // socket was closed could be given to another test's socket meanwhile.)
        let deaf = try UDPSocket(family: .ipv4)
        try deaf.bind(to: .loopback(.ipv4, port: 0), reusingAddress: false)
        try deaf.connect(to: .loopback(.ipv4, port: 9))
        let sender = try UDPSocket(family: .ipv4)
        try sender.connect(to: try deaf.localEndpoint())
        let datagram: [UInt8] = [0x80, 0x0B, 0x00, 0x01]
        #expect(datagram.withUnsafeBytes { sender.send($0) } == .sent)
        // The ICMP port unreachable comes back on loopback at once; a moment for it to be queued on the socket.
        var pause = timespec(tv_sec: 0, tv_nsec: 50_000_000)
        nanosleep(&pause, nil)
        #expect(datagram.withUnsafeBytes { sender.send($0) } == .sentAfterRefusal)
        withExtendedLifetime(deaf) {}
    }
}
