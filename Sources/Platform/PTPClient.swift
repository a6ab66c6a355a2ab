import CPlatformShims
import Glibc
import Interfaces
import PTP

/// Asks a local ptp4l (linuxptp) about the PTP clock it follows, through its management socket (a Unix datagram
/// socket, `/var/run/ptp4l` by default), with management GETs written here (the `PTP` module); `pmc` is not needed.
public enum PTPClient {
    public static let defaultSocketPath = "/var/run/ptp4l"

    /// The status ptp4l gives, or nil when no ptp4l answers on `socketPath` within a fraction of a second. With no
    /// `domain`, every domain (0-127) is asked at once and the one ptp4l answers in is used.
    public static func status(socketPath: String = defaultSocketPath, domain: UInt8? = nil) -> PTPStatus? {
        guard let socket = try? UnixDatagramSocket(peer: socketPath) else { return nil }
        let identity = (0..<8).map { UInt8(truncatingIfNeeded: getpid() >> ($0 * 4)) }
        var sequence: UInt16 = 0
        func ask(_ set: PTPManagement.DataSet, in domain: UInt8) -> [UInt8]? {
            sequence &+= 1
            let wanted = sequence
            socket.send(PTPManagement.get(set, domain: domain, sequence: wanted, sourceClock: identity))
            let deadline = MonotonicClock().now() + 300_000_000
            while let bytes = socket.receive(until: deadline) {
                if let response = try? PTPManagement.Response(parsing: bytes), response.sequence == wanted,
                    response.dataSet == set.rawValue
                {
                    return response.data
                }
            }
            return nil
        }
        let found: UInt8
        if let domain {
            found = domain
        } else {
            // ptp4l answers only in its own domain: ask them all, eight at a time (a Unix datagram socket queues
            // only ten, net.unix.max_dgram_qlen), and keep the one that answers.
            var answer: UInt8?
            for first in stride(from: 0, to: 128, by: 8) where answer == nil {
                for candidate in first..<(first + 8) {
                    let sent = socket.send(
                        PTPManagement.get(
                            .defaultDataSet, domain: UInt8(candidate), sequence: UInt16(1000 + candidate),
                            sourceClock: identity))
                    // Nobody at the socket's path: no ptp4l.
                    if !sent && (errno == ENOENT || errno == ECONNREFUSED) { return nil }
                }
                let deadline = MonotonicClock().now() + (first == 0 ? 300_000_000 : 50_000_000)
                while answer == nil, let bytes = socket.receive(until: deadline) {
                    if let response = try? PTPManagement.Response(parsing: bytes) { answer = response.domain }
                }
            }
            guard let answer else { return nil }
            found = answer
        }
        guard let parentData = ask(.parentDataSet, in: found),
            let parent = try? PTPManagement.ParentDataSet(parentData),
            let defaultData = ask(.defaultDataSet, in: found), defaultData.count >= 18
        else { return nil }
        let properties = ask(.timePropertiesDataSet, in: found).flatMap { try? PTPManagement.TimeProperties($0) }
        let time = ask(.timeStatusNP, in: found).flatMap { try? PTPManagement.TimeStatus($0) }
        let port = ask(.portDataSet, in: found).flatMap { try? PTPManagement.PortData($0) }
        let own = Array(defaultData[10..<18])
        let isGrandmaster = own == parent.grandmasterIdentity
        let locked =
            isGrandmaster
            ? port?.portState == PTPManagement.PortData.master
            : port?.portState == PTPManagement.PortData.slave && time?.grandmasterPresent == true
        return PTPStatus(
            grandmasterIdentity: parent.grandmasterIdentity, domain: found, isLocked: locked,
            isGrandmaster: isGrandmaster, utcOffset: Int(properties?.currentUTCOffset ?? 0),
            utcOffsetValid: properties?.utcOffsetValid ?? false)
    }
}

/// A Unix datagram socket bound to a name of its own, talking to one peer (socket(2) AF_UNIX SOCK_DGRAM).
final class UnixDatagramSocket {
    let descriptor: Int32
    let path: String
    let peer: sockaddr_un

    init(peer peerPath: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SystemError("socket AF_UNIX") }
        path = "/tmp/.audiostreamer-pmc-\(getpid())-\(MonotonicClock().now() % 1_000_000_000)"
        peer = Self.address(peerPath)
        var own = Self.address(path)
        let bound = withUnsafePointer(to: &own) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let error = SystemError("bind \(path)")
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(descriptor)
        unlink(path)
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(107))
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// Sends one datagram without waiting; false (errno set) when it was not sent.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var destination = peer
        return bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &destination) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(
                        descriptor, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT), $0,
                        socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } >= 0
    }

    /// The next datagram, or nil once `deadline` (monotonic) has passed.
    func receive(until deadline: Int64) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 1500)
        while true {
            let left = deadline - MonotonicClock().now()
            guard left > 0 else { return nil }
            var table = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&table, 1, Int32(max(1, left / 1_000_000))) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes {
                recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
            }
            if count > 0 { return Array(buffer.prefix(count)) }
        }
    }
}

/// The kernel's TAI - UTC offset in seconds (adjtimex(2)'s `tai`, set by ptp4l/phc2sys or chrony), 0 when unset.
public func kernelTAIOffset() -> Int {
    Int(shim_tai_offset())
}
