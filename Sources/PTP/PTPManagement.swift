/// PTP management messages (IEEE 1588-2008 clause 15), as ptp4l answers them on its local socket: GET requests
/// and the data sets that come back. Wire format only: no socket, no clock.
///
/// Every PTP message starts with the 34-byte common header (clause 13.3):
/// ```
/// | transportSpecific(4) messageType(4) | reserved(4) versionPTP(4) | messageLength(16)         |
/// | domainNumber(8) | reserved(8) | flagField(16)                                           |
/// | correctionField(64)                                                                      |
/// | reserved(32)                                                                             |
/// | sourcePortIdentity: clockIdentity(64) portNumber(16)                                     |
/// | sequenceId(16) | controlField(8) | logMessageInterval(8)                                  |
/// ```
/// A management message follows it with targetPortIdentity(80), startingBoundaryHops(8), boundaryHops(8),
/// reserved(4) actionField(4), reserved(8), then one TLV: tlvType(16) lengthField(16) managementId(16) data.
public enum PTPManagement {
    static let headerBytes = 34
    static let managementBodyBytes = 14
    static let messageType: UInt8 = 0x0D
    static let version: UInt8 = 0x02
    static let controlField: UInt8 = 0x04
    static let logMessageInterval: UInt8 = 0x7F
    static let tlvManagement: UInt16 = 0x0001
    static let tlvManagementErrorStatus: UInt16 = 0x0002
    static let actionGet: UInt8 = 0
    static let actionResponse: UInt8 = 2

    /// The data sets read here (managementId, clause 15.5.2.3; TIME_STATUS_NP is linuxptp's).
    public enum DataSet: UInt16, Sendable, Hashable, CaseIterable {
        case defaultDataSet = 0x2000
        case parentDataSet = 0x2002
        case timePropertiesDataSet = 0x2003
        case portDataSet = 0x2004
        case timeStatusNP = 0xC000
    }

    /// A GET of `dataSet` in `domain`, from `sourceClock` (8 bytes; any identity of the asker's own), addressed to
    /// every clock and port (a target of all ones), with no boundary hops: the local ptp4l answers itself.
    public static func get(_ dataSet: DataSet, domain: UInt8, sequence: UInt16, sourceClock: [UInt8]) -> [UInt8] {
        precondition(sourceClock.count == 8, "a clock identity is 8 bytes")
        let length = headerBytes + managementBodyBytes + 6
        var out: [UInt8] = []
        out.reserveCapacity(length)
        out.append(messageType)  // transportSpecific 0, messageType 13 (management)
        out.append(version)  // versionPTP 2
        out.appendBig(UInt16(length))  // messageLength
        out.append(domain)  // domainNumber
        out.append(0)  // reserved
        out.appendBig(UInt16(0))  // flagField
        out += [UInt8](repeating: 0, count: 8)  // correctionField
        out += [UInt8](repeating: 0, count: 4)  // reserved
        out += sourceClock  // sourcePortIdentity.clockIdentity
        out.appendBig(UInt16(0))  // sourcePortIdentity.portNumber
        out.appendBig(sequence)  // sequenceId
        out.append(controlField)  // controlField: management
        out.append(logMessageInterval)  // logMessageInterval
        out += [UInt8](repeating: 0xFF, count: 10)  // targetPortIdentity: every clock, every port
        out.append(0)  // startingBoundaryHops
        out.append(0)  // boundaryHops
        out.append(actionGet)  // actionField GET
        out.append(0)  // reserved
        out.appendBig(tlvManagement)  // tlvType MANAGEMENT
        out.appendBig(UInt16(2))  // lengthField: the managementId alone
        out.appendBig(dataSet.rawValue)  // managementId
        return out
    }

    /// A management response: its domain, sequence, data set and data. Total: any bytes give one or a `PTPError`.
    public struct Response: Sendable, Hashable {
        public var domain: UInt8
        public var sequence: UInt16
        public var dataSet: UInt16
        public var data: [UInt8]

        public init(parsing bytes: [UInt8]) throws(PTPError) {
            guard bytes.count >= headerBytes + managementBodyBytes + 6 else {
                throw .truncated(needed: headerBytes + managementBodyBytes + 6, available: bytes.count)
            }
            guard bytes[0] & 0x0F == messageType else { throw .notManagement(bytes[0] & 0x0F) }
            guard bytes[1] & 0x0F == version else { throw .version(bytes[1] & 0x0F) }
            let body = headerBytes
            guard bytes[body + 12] & 0x0F == actionResponse else { throw .notResponse(bytes[body + 12] & 0x0F) }
            let tlv = body + managementBodyBytes
            let type = UInt16(bytes[tlv]) << 8 | UInt16(bytes[tlv + 1])
            let length = Int(UInt16(bytes[tlv + 2]) << 8 | UInt16(bytes[tlv + 3]))
            guard tlv + 4 + length <= bytes.count, length >= 2 else {
                throw .truncated(needed: tlv + 4 + max(2, length), available: bytes.count)
            }
            // MANAGEMENT: managementId, then the data. MANAGEMENT_ERROR_STATUS (clause 15.5.4.4): the error's id,
            // then the managementId it answers.
            guard type == tlvManagement else {
                guard type == tlvManagementErrorStatus else { throw .unexpectedTLV(type) }
                guard length >= 4 else { throw .truncated(needed: tlv + 8, available: bytes.count) }
                throw .errorStatus(managementID: UInt16(bytes[tlv + 6]) << 8 | UInt16(bytes[tlv + 7]))
            }
            let id = UInt16(bytes[tlv + 4]) << 8 | UInt16(bytes[tlv + 5])
            domain = bytes[4]
            sequence = UInt16(bytes[30]) << 8 | UInt16(bytes[31])
            dataSet = id
            data = Array(bytes[(tlv + 6)..<(tlv + 4 + length)])
        }
    }

    /// PARENT_DATA_SET (clause 8.2.3): who the grandmaster is.
    public struct ParentDataSet: Sendable, Hashable {
        public var grandmasterIdentity: [UInt8]
        public var grandmasterPriority1: UInt8
        public var grandmasterClockClass: UInt8

        /// parentPortIdentity(10) parentStats(1) reserved(1) observedParentOffsetScaledLogVariance(2)
        /// observedParentClockPhaseChangeRate(4) grandmasterPriority1(1) grandmasterClockQuality(4)
        /// grandmasterPriority2(1) grandmasterIdentity(8).
        public init(_ data: [UInt8]) throws(PTPError) {
            guard data.count >= 32 else { throw .truncated(needed: 32, available: data.count) }
            grandmasterPriority1 = data[18]
            grandmasterClockClass = data[19]
            grandmasterIdentity = Array(data[24..<32])
        }
    }

    /// TIME_PROPERTIES_DATA_SET (clause 8.2.4): the UTC offset and what the timescale is.
    public struct TimeProperties: Sendable, Hashable {
        public var currentUTCOffset: Int16
        public var utcOffsetValid: Bool
        public var ptpTimescale: Bool
        public var timeTraceable: Bool

        /// currentUtcOffset(16) flags(8: leap61, leap59, currentUtcOffsetValid, ptpTimescale, timeTraceable,
        /// frequencyTraceable from bit 0) timeSource(8).
        public init(_ data: [UInt8]) throws(PTPError) {
            guard data.count >= 4 else { throw .truncated(needed: 4, available: data.count) }
            currentUTCOffset = Int16(bitPattern: UInt16(data[0]) << 8 | UInt16(data[1]))
            utcOffsetValid = data[2] & 0x04 != 0
            ptpTimescale = data[2] & 0x08 != 0
            timeTraceable = data[2] & 0x10 != 0
        }
    }

    /// TIME_STATUS_NP (linuxptp): the offset from the grandmaster and whether one is present.
    public struct TimeStatus: Sendable, Hashable {
        public var masterOffsetNanoseconds: Int64
        public var grandmasterPresent: Bool
        public var grandmasterIdentity: [UInt8]

        /// master_offset(64) ingress_time(64) cumulativeScaledRateOffset(32) scaledLastGmPhaseChange(32)
        /// gmTimeBaseIndicator(16) lastGmPhaseChange(96) gmPresent(32) gmIdentity(64).
        public init(_ data: [UInt8]) throws(PTPError) {
            guard data.count >= 50 else { throw .truncated(needed: 50, available: data.count) }
            masterOffsetNanoseconds = Int64(bitPattern: data[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            grandmasterPresent = data[38..<42].contains { $0 != 0 }
            grandmasterIdentity = Array(data[42..<50])
        }
    }

    /// PORT_DATA_SET (clause 8.2.5): the first port's state.
    public struct PortData: Sendable, Hashable {
        /// portState (clause 8.2.5.3.1): 9 is SLAVE (locked to a master), 6 MASTER, 8 UNCALIBRATED.
        public var portState: UInt8

        /// portIdentity(10) portState(8) ...
        public init(_ data: [UInt8]) throws(PTPError) {
            guard data.count >= 11 else { throw .truncated(needed: 11, available: data.count) }
            portState = data[10]
        }

        public static let slave: UInt8 = 9
        public static let master: UInt8 = 6
    }
}

/// What ptp4l says of the PTP clock this host follows.
public struct PTPStatus: Sendable, Hashable {
    public var grandmasterIdentity: [UInt8]
    public var domain: UInt8
    /// Locked: a port in SLAVE state with a grandmaster present (or this host is the grandmaster).
    public var isLocked: Bool
    public var isGrandmaster: Bool
    /// TAI - UTC in seconds as the grandmaster says it, and whether it says it is valid.
    public var utcOffset: Int
    public var utcOffsetValid: Bool

    public init(
        grandmasterIdentity: [UInt8], domain: UInt8, isLocked: Bool, isGrandmaster: Bool, utcOffset: Int,
        utcOffsetValid: Bool
    ) {
        self.grandmasterIdentity = grandmasterIdentity
        self.domain = domain
        self.isLocked = isLocked
        self.isGrandmaster = isGrandmaster
        self.utcOffset = utcOffset
        self.utcOffsetValid = utcOffsetValid
    }

    /// The grandmaster's identity as RFC 7273 writes it: eight hex octets joined by dashes (`39-A7-94-FF-FE-07-CB-D0`).
    public var grandmasterText: String {
        grandmasterIdentity.map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: "-")
    }

    /// `a=ts-refclk` for this clock (RFC 7273 section 4.8): `ptp=IEEE1588-2008:<gm>:<domain>`.
    public var referenceClock: String { "ptp=IEEE1588-2008:\(grandmasterText):\(domain)" }
}

/// Why bytes are not a management response this reader can use: the one error of the PTP module.
public enum PTPError: Error, Sendable, Hashable, CustomStringConvertible {
    case truncated(needed: Int, available: Int)
    case notManagement(UInt8)
    case version(UInt8)
    case notResponse(UInt8)
    case errorStatus(managementID: UInt16)
    case unexpectedTLV(UInt16)

    public var description: String {
        switch self {
        case .truncated(let needed, let available): "truncated: needs \(needed) bytes, has \(available)"
        case .notManagement(let type): "message type \(type), not management"
        case .version(let version): "PTP version \(version), expected 2"
        case .notResponse(let action): "action \(action), not a response"
        case .errorStatus(let id): "management error for data set 0x\(String(id, radix: 16))"
        case .unexpectedTLV(let type): "TLV type \(type)"
        }
    }
}

extension [UInt8] {
    mutating func appendBig<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
