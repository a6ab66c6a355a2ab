import PTP
import TestSupport
import Testing

// Byte fixtures for PTP management messages (IEEE 1588-2008 clause 15) as ptp4l (linuxptp) reads and writes them
// on its UNIX socket. Every value here is taken from the standard and linuxptp's headers, not from the code:
//
// Common header (clause 13.3, Table 18), 34 bytes:
//   0     transportSpecific(4) | messageType(4)       MANAGEMENT = 0xD (linuxptp msg.h)
//   1     reserved / minorVersionPTP(4) | versionPTP(4)   2
//   2-3   messageLength
//   4     domainNumber
//   5     reserved
//   6-7   flagField
//   8-15  correctionField
//   16-19 reserved
//   20-29 sourcePortIdentity: clockIdentity(8) portNumber(2)
//   30-31 sequenceId
//   32    controlField                                 CTL_MANAGEMENT = 0x04 (Table 23)
//   33    logMessageInterval                           0x7F for management (clause 13.3.2.14)
// Management body (clause 15.4.1, Table 37), 14 bytes:
//   34-43 targetPortIdentity                           all ones: every clock, every port
//   44    startingBoundaryHops
//   45    boundaryHops
//   46    reserved(4) | actionField(4)                 GET 0, SET 1, RESPONSE 2, COMMAND 3, ACKNOWLEDGE 4 (Table 38)
//   47    reserved
// Then one TLV (clause 15.5.2, Table 39): tlvType MANAGEMENT = 0x0001 (Table 34), lengthField, managementId, data.
// managementId (Table 40): DEFAULT_DATA_SET 0x2000, PARENT_DATA_SET 0x2002, TIME_PROPERTIES_DATA_SET 0x2003,
// PORT_DATA_SET 0x2004; linuxptp's TIME_STATUS_NP 0xC000 (tlv.h, implementation-specific range C000-DFFF).
// A MANAGEMENT_ERROR_STATUS TLV (0x0002, clause 15.5.4, Table 71) is tlvType, lengthField, managementErrorId,
// managementId, reserved(4), displayData (linuxptp struct management_error_status).

/// An identity of the asker's own, as pmc would use.
private let askerClock: [UInt8] = [0x02, 0x42, 0xAC, 0xFF, 0xFE, 0x11, 0x00, 0x01]
/// The grandmaster of the fixtures.
private let grandmaster: [UInt8] = [0x00, 0x1D, 0xC1, 0xFF, 0xFE, 0x12, 0x34, 0x56]
/// ptp4l's own clock, the parent and the responder (not the grandmaster, so a parser reading the wrong field fails).
private let ptp4lClock: [UInt8] = [0xA0, 0x36, 0x9F, 0xFF, 0xFE, 0x0B, 0x0C, 0x0D]

/// A management message around one TLV, laid out from clause 15 field by field (the fixtures' data is hand-written).
private func managementMessage(
    domain: UInt8 = 0, sequence: UInt16 = 0x0102, action: UInt8 = 0x02, messageType: UInt8 = 0x0D,
    version: UInt8 = 0x02, tlvType: UInt16 = 0x0001, managementID: UInt16, data: [UInt8]
) -> [UInt8] {
    let tlvLength = 2 + data.count
    let total = 34 + 14 + 4 + tlvLength
    var out: [UInt8] = []
    out.append(messageType)  // transportSpecific 0 | messageType
    out.append(version)  // versionPTP
    out += [UInt8(total >> 8), UInt8(total & 0xFF)]  // messageLength
    out.append(domain)  // domainNumber
    out.append(0x00)  // reserved
    out += [0x00, 0x00]  // flagField
    out += [UInt8](repeating: 0, count: 8)  // correctionField
    out += [0x00, 0x00, 0x00, 0x00]  // reserved
    out += ptp4lClock + [0x00, 0x01]  // sourcePortIdentity: ptp4l's clock, port 1
    out += [UInt8(sequence >> 8), UInt8(sequence & 0xFF)]  // sequenceId
    out.append(0x04)  // controlField: management
    out.append(0x7F)  // logMessageInterval
    out += askerClock + [0x00, 0x00]  // targetPortIdentity: the asker
    out.append(0x00)  // startingBoundaryHops
    out.append(0x00)  // boundaryHops
    out.append(action)  // actionField
    out.append(0x00)  // reserved
    out += [UInt8(tlvType >> 8), UInt8(tlvType & 0xFF)]  // tlvType
    out += [UInt8(tlvLength >> 8), UInt8(tlvLength & 0xFF)]  // lengthField
    out += [UInt8(managementID >> 8), UInt8(managementID & 0xFF)]  // managementId
    out += data
    return out
}

/// PARENT_DATA_SET's data (clause 15.5.3.3.3, Table 54), 32 bytes.
private let parentData: [UInt8] =
    ptp4lClock + [0x00, 0x01]  // 0-9 parentPortIdentity: ptp4l's clock, port 1
    + [0x00]  // 10 parentStats (PS=0)
    + [0x00]  // 11 reserved
    + [0xFF, 0xFF]  // 12-13 observedParentOffsetScaledLogVariance
    + [0x7F, 0xFF, 0xFF, 0xFF]  // 14-17 observedParentClockPhaseChangeRate
    + [0x7B]  // 18 grandmasterPriority1 = 123
    + [0x06]  // 19 grandmasterClockQuality.clockClass = 6 (locked to a primary reference)
    + [0x21]  // 20 grandmasterClockQuality.clockAccuracy = 0x21 (within 100 ns)
    + [0x4E, 0x5D]  // 21-22 grandmasterClockQuality.offsetScaledLogVariance
    + [0x80]  // 23 grandmasterPriority2 = 128
    + grandmaster  // 24-31 grandmasterIdentity

/// TIME_STATUS_NP's data (linuxptp struct time_status_np, all fields in network order), 50 bytes.
private func timeStatusData(masterOffset: [UInt8], gmPresent: [UInt8]) -> [UInt8] {
    masterOffset  // 0-7 master_offset, nanoseconds
        + [0x17, 0x9B, 0x5B, 0x8C, 0x2A, 0x11, 0x00, 0x00]  // 8-15 ingress_time
        + [0x00, 0x00, 0x01, 0x00]  // 16-19 cumulativeScaledRateOffset
        + [0xFF, 0x00, 0xFF, 0x00]  // 20-23 scaledLastGmPhaseChange
        + [0x00, 0x07]  // 24-25 gmTimeBaseIndicator
        + [0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x09, 0x00, 0x02]  // 26-37 lastGmPhaseChange (ScaledNs, 96 bits)
        + gmPresent  // 38-41 gmPresent (Integer32)
        + grandmaster  // 42-49 gmIdentity
}

/// PORT_DATA_SET's data (clause 15.5.3.7.1, Table 61), 26 bytes, portState as given.
private func portData(state: UInt8) -> [UInt8] {
    ptp4lClock + [0x00, 0x01]  // 0-9 portIdentity
        + [state]  // 10 portState
        + [0x00]  // 11 logMinDelayReqInterval
        + [0, 0, 0, 0, 0, 0, 0, 0]  // 12-19 peerMeanPathDelay
        + [0x01]  // 20 logAnnounceInterval
        + [0x03]  // 21 announceReceiptTimeout
        + [0x00]  // 22 logSyncInterval
        + [0x01]  // 23 delayMechanism E2E
        + [0x00]  // 24 logMinPdelayReqInterval
        + [0x02]  // 25 reserved(4) | versionNumber(4) = 2
}

@Suite struct PTPManagementTests {
    @Test("a GET of PARENT_DATA_SET is the 54 bytes of clause 15, byte for byte")
    func getFixture() {
        let expected: [UInt8] = [
            0x0D,  // transportSpecific 0, messageType 0xD (management)
            0x02,  // versionPTP 2
            0x00, 0x36,  // messageLength 54 = 34 + 14 + 6
            0x18,  // domainNumber 24
            0x00,  // reserved
            0x00, 0x00,  // flagField
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // correctionField
            0x00, 0x00, 0x00, 0x00,  // reserved
            0x02, 0x42, 0xAC, 0xFF, 0xFE, 0x11, 0x00, 0x01,  // sourcePortIdentity.clockIdentity
            0x00, 0x00,  // sourcePortIdentity.portNumber
            0x12, 0x34,  // sequenceId 0x1234
            0x04,  // controlField: management
            0x7F,  // logMessageInterval 0x7F
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,  // targetPortIdentity: all clocks, all ports
            0x00,  // startingBoundaryHops
            0x00,  // boundaryHops
            0x00,  // reserved | actionField GET
            0x00,  // reserved
            0x00, 0x01,  // tlvType MANAGEMENT
            0x00, 0x02,  // lengthField: the managementId alone
            0x20, 0x02,  // managementId PARENT_DATA_SET
        ]
        let bytes = PTPManagement.get(.parentDataSet, domain: 24, sequence: 0x1234, sourceClock: askerClock)
        #expect(bytes == expected)
        #expect(bytes.count == 54)
    }

    @Test(
        "each data set's managementId, as IEEE 1588 Table 40 and linuxptp tlv.h number them",
        arguments: [
            (PTPManagement.DataSet.defaultDataSet, [UInt8(0x20), 0x00]),
            (.parentDataSet, [0x20, 0x02]),
            (.timePropertiesDataSet, [0x20, 0x03]),
            (.portDataSet, [0x20, 0x04]),
            (.timeStatusNP, [0xC0, 0x00]),
        ])
    func managementIDs(dataSet: PTPManagement.DataSet, id: [UInt8]) {
        let bytes = PTPManagement.get(dataSet, domain: 0, sequence: 1, sourceClock: askerClock)
        #expect(bytes.count == 54)
        #expect(Array(bytes[52..<54]) == id)
        // The rest does not depend on the data set.
        let parent = PTPManagement.get(.parentDataSet, domain: 0, sequence: 1, sourceClock: askerClock)
        #expect(Array(bytes[..<52]) == Array(parent[..<52]))
    }

    @Test("a TIME_PROPERTIES_DATA_SET response, written out whole, parses to its domain, sequence and values")
    func timePropertiesFixture() throws {
        let bytes: [UInt8] = [
            0x0D,  // management
            0x02,  // versionPTP 2
            0x00, 0x3A,  // messageLength 58 = 48 + 4 + 2 + 4
            0x05,  // domainNumber 5
            0x00,  // reserved
            0x00, 0x00,  // flagField
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // correctionField
            0x00, 0x00, 0x00, 0x00,  // reserved
            0xA0, 0x36, 0x9F, 0xFF, 0xFE, 0x0B, 0x0C, 0x0D,  // sourcePortIdentity.clockIdentity (ptp4l's)
            0x00, 0x00,  // sourcePortIdentity.portNumber
            0xBE, 0xEF,  // sequenceId 0xBEEF
            0x04,  // controlField: management
            0x7F,  // logMessageInterval
            0x02, 0x42, 0xAC, 0xFF, 0xFE, 0x11, 0x00, 0x01, 0x00, 0x00,  // targetPortIdentity: the asker
            0x00,  // startingBoundaryHops
            0x00,  // boundaryHops
            0x02,  // actionField RESPONSE
            0x00,  // reserved
            0x00, 0x01,  // tlvType MANAGEMENT
            0x00, 0x06,  // lengthField: managementId + 4 bytes of data
            0x20, 0x03,  // managementId TIME_PROPERTIES_DATA_SET
            0x00, 0x25,  // currentUtcOffset 37
            0x3C,  // flags: utcOffsetValid 0x04 | ptpTimescale 0x08 | timeTraceable 0x10 | frequencyTraceable 0x20
            0x20,  // timeSource GPS
        ]
        let response = try PTPManagement.Response(parsing: bytes)
        #expect(response.domain == 5)
        #expect(response.sequence == 0xBEEF)
        #expect(response.dataSet == 0x2003)
        #expect(response.data == [0x00, 0x25, 0x3C, 0x20])
        let properties = try PTPManagement.TimeProperties(response.data)
        #expect(properties.currentUTCOffset == 37)
        #expect(properties.utcOffsetValid && properties.ptpTimescale && properties.timeTraceable)
    }

    @Test(
        "TIME_PROPERTIES flags, each bit on its own (linuxptp's LEAP_61 1<<0 ... FREQ_TRACEABLE 1<<5)",
        arguments: [
            // (flags, utcOffsetValid, ptpTimescale, timeTraceable)
            (UInt8(0x04), true, false, false),
            (0x08, false, true, false),
            (0x10, false, false, true),
            (0x23, false, false, false),  // leap61, leap59 and frequencyTraceable: none of the three
            (0x00, false, false, false),
        ])
    func timePropertiesFlags(flags: UInt8, valid: Bool, timescale: Bool, traceable: Bool) throws {
        let properties = try PTPManagement.TimeProperties([0x00, 0x24, flags, 0xA0])
        #expect(properties.currentUTCOffset == 36)
        #expect(properties.utcOffsetValid == valid)
        #expect(properties.ptpTimescale == timescale)
        #expect(properties.timeTraceable == traceable)
    }

    @Test("currentUtcOffset is a signed 16-bit field")
    func negativeUTCOffset() throws {
        #expect(try PTPManagement.TimeProperties([0xFF, 0xFF, 0x00, 0x00]).currentUTCOffset == -1)
        #expect(try PTPManagement.TimeProperties([0x80, 0x00, 0x00, 0x00]).currentUTCOffset == -32_768)
    }

    @Test("a PARENT_DATA_SET response gives the grandmaster's identity, priority1 and clock class")
    func parentDataSet() throws {
        let bytes = managementMessage(domain: 0, sequence: 9, managementID: 0x2002, data: parentData)
        #expect(bytes.count == 48 + 6 + 32)
        let response = try PTPManagement.Response(parsing: bytes)
        #expect(response.dataSet == 0x2002 && response.sequence == 9 && response.domain == 0)
        #expect(response.data == parentData)
        let parent = try PTPManagement.ParentDataSet(response.data)
        #expect(parent.grandmasterIdentity == grandmaster)
        #expect(parent.grandmasterPriority1 == 123)
        #expect(parent.grandmasterClockClass == 6)
    }

    @Test("a TIME_STATUS_NP response gives master_offset, gmPresent and gmIdentity")
    func timeStatus() throws {
        // master_offset -1234 ns, two's complement: 0xFFFFFFFFFFFFFB2E; gmPresent 1.
        let data = timeStatusData(
            masterOffset: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFB, 0x2E], gmPresent: [0x00, 0x00, 0x00, 0x01])
        #expect(data.count == 50)
        let response = try PTPManagement.Response(parsing: managementMessage(managementID: 0xC000, data: data))
        #expect(response.dataSet == 0xC000)
        let status = try PTPManagement.TimeStatus(response.data)
        #expect(status.masterOffsetNanoseconds == -1234)
        #expect(status.grandmasterPresent)
        #expect(status.grandmasterIdentity == grandmaster)
        // A positive offset of 2^32 + 5 ns, and no grandmaster: gmPresent 0 while its neighbours are not zero.
        let absent = try PTPManagement.TimeStatus(
            timeStatusData(masterOffset: [0, 0, 0, 0x01, 0, 0, 0, 0x05], gmPresent: [0, 0, 0, 0]))
        #expect(absent.masterOffsetNanoseconds == 4_294_967_301)
        #expect(!absent.grandmasterPresent)
    }

    @Test(
        "a PORT_DATA_SET response gives the port's state (clause 8.2.5.3.1: 6 MASTER, 8 UNCALIBRATED, 9 SLAVE)",
        arguments: [UInt8(9), 6, 8, 4])
    func portDataSet(state: UInt8) throws {
        let data = portData(state: state)
        #expect(data.count == 26)
        let response = try PTPManagement.Response(parsing: managementMessage(managementID: 0x2004, data: data))
        #expect(response.dataSet == 0x2004)
        #expect(try PTPManagement.PortData(response.data).portState == state)
    }

    @Test("the port states the status reads are IEEE 1588's numbers")
    func portStateConstants() {
        #expect(PTPManagement.PortData.slave == 9)
        #expect(PTPManagement.PortData.master == 6)
    }

    @Test("transportSpecific and minorVersionPTP (IEEE 1588-2019, linuxptp 4 sends version 0x12) are ignored")
    func upperNibblesIgnored() throws {
        var bytes = managementMessage(managementID: 0x2003, data: [0x00, 0x25, 0x04, 0xA0])
        bytes[0] = 0x1D  // transportSpecific 1
        bytes[1] = 0x12  // minorVersionPTP 1, versionPTP 2
        #expect(try PTPManagement.Response(parsing: bytes).data == [0x00, 0x25, 0x04, 0xA0])
    }

    @Test("a message too short, of another type, version or action, or with another TLV is refused")
    func refused() {
        let good = managementMessage(managementID: 0x2003, data: [0x00, 0x25, 0x04, 0xA0])
        #expect(good.count == 58)
        #expect(throws: PTPError.truncated(needed: 54, available: 53)) {
            try PTPManagement.Response(parsing: Array(good.prefix(53)))
        }
        #expect(throws: PTPError.truncated(needed: 54, available: 0)) { try PTPManagement.Response(parsing: []) }
        // The TLV says 6 bytes follow its header; only 5 do.
        #expect(throws: PTPError.truncated(needed: 58, available: 57)) {
            try PTPManagement.Response(parsing: Array(good.dropLast()))
        }
        // A lengthField shorter than the managementId.
        var short = good
        short[50...51] = [0x00, 0x01]
        #expect(throws: PTPError.truncated(needed: 54, available: 58)) { try PTPManagement.Response(parsing: short) }
        #expect(throws: PTPError.notManagement(0x0B)) {
            try PTPManagement.Response(
                parsing: managementMessage(messageType: 0x0B, managementID: 0x2003, data: [0, 0, 0, 0]))
        }
        #expect(throws: PTPError.version(1)) {
            try PTPManagement.Response(
                parsing: managementMessage(version: 0x01, managementID: 0x2003, data: [0, 0, 0, 0]))
        }
        // Our own GET, looped back, is not an answer.
        #expect(throws: PTPError.notResponse(0)) {
            try PTPManagement.Response(
                parsing: PTPManagement.get(.parentDataSet, domain: 0, sequence: 1, sourceClock: askerClock))
        }
        #expect(throws: PTPError.notResponse(4)) {
            try PTPManagement.Response(parsing: managementMessage(action: 0x04, managementID: 0x2003, data: []))
        }
        #expect(throws: PTPError.unexpectedTLV(0x0003)) {
            try PTPManagement.Response(parsing: managementMessage(tlvType: 0x0003, managementID: 0x2003, data: []))
        }
    }

    @Test("a MANAGEMENT_ERROR_STATUS answer is refused, naming the data set it is about")
    func errorStatus() {
        // ptp4l's answer to a GET of an id it does not know: managementErrorId NO_SUCH_ID (0x0002), then the
        // managementId asked (0xC000), then 4 reserved bytes (Table 71). The parser takes the managementId from
        // the second field after lengthField: the first is the error id.
        let bytes = managementMessage(tlvType: 0x0002, managementID: 0x0002, data: [0xC0, 0x00, 0, 0, 0, 0])
        #expect(throws: PTPError.errorStatus(managementID: 0xC000)) { try PTPManagement.Response(parsing: bytes) }
    }

    @Test("each data set's data too short is refused with what it needs")
    func dataSetsTruncated() {
        #expect(throws: PTPError.truncated(needed: 32, available: 31)) {
            try PTPManagement.ParentDataSet(Array(parentData.dropLast()))
        }
        #expect(throws: PTPError.truncated(needed: 4, available: 3)) {
            try PTPManagement.TimeProperties([0x00, 0x25, 0x04])
        }
        let status = timeStatusData(masterOffset: [0, 0, 0, 0, 0, 0, 0, 0], gmPresent: [0, 0, 0, 1])
        #expect(throws: PTPError.truncated(needed: 50, available: 49)) {
            try PTPManagement.TimeStatus(Array(status.dropLast()))
        }
        #expect(throws: PTPError.truncated(needed: 11, available: 10)) {
            try PTPManagement.PortData(Array(portData(state: 9).prefix(10)))
        }
    }

    @Test("20 000 random and mutated messages: every one parses or throws, and so does each data set's reader")
    func anyBytes() {
        var random = SplitMix64(state: 0x1588_2008)
        let seeds = [
            managementMessage(managementID: 0x2002, data: parentData),
            managementMessage(
                managementID: 0xC000,
                data: timeStatusData(masterOffset: [0, 0, 0, 0, 0, 0, 0, 1], gmPresent: [0, 0, 0, 1])
            ),
            managementMessage(managementID: 0x2004, data: portData(state: 9)),
            managementMessage(managementID: 0x2003, data: [0x00, 0x25, 0x04, 0xA0]),
        ]
        var parsed = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int(random.next() % 120)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                // Often a management response, so the parser gets past its first checks.
                if bytes.count > 46 && round % 4 == 0 {
                    bytes[0] = 0x0D
                    bytes[1] = 0x02
                    bytes[46] = 0x02
                }
            } else {
                bytes = seeds[round % seeds.count]
                for _ in 0..<(1 + random.next() % 4) {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
                bytes.removeLast(Int(random.next() % UInt64(bytes.count / 2)))
            }
            guard let response = try? PTPManagement.Response(parsing: bytes) else { continue }
            parsed += 1
            _ = try? PTPManagement.ParentDataSet(response.data)
            _ = try? PTPManagement.TimeProperties(response.data)
            _ = try? PTPManagement.TimeStatus(response.data)
            _ = try? PTPManagement.PortData(response.data)
        }
        #expect(parsed > 100 && parsed < 20_000)
        // The data set readers on their own, on any bytes.
        for _ in 0..<5_000 {
            let data = (0..<Int(random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            _ = try? PTPManagement.ParentDataSet(data)
            _ = try? PTPManagement.TimeProperties(data)
            _ = try? PTPManagement.TimeStatus(data)
            _ = try? PTPManagement.PortData(data)
        }
    }
}

@Suite struct PTPManagementStatusTests {
    private static func status(_ identity: [UInt8], domain: UInt8) -> PTPStatus {
        PTPStatus(
            grandmasterIdentity: identity, domain: domain, isLocked: true, isGrandmaster: false, utcOffset: 37,
            utcOffsetValid: true)
    }

    @Test("a=ts-refclk for PTP (RFC 7273 section 4.8): ptp=IEEE1588-2008:<EUI-64 in upper-case hex, dashed>:<domain>")
    func referenceClock() {
        #expect(Self.status(grandmaster, domain: 5).referenceClock == "ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:5")
        #expect(Self.status(grandmaster, domain: 0).referenceClock == "ptp=IEEE1588-2008:00-1D-C1-FF-FE-12-34-56:0")
        // Single-digit octets keep their leading zero; letters are upper case; a domain of three digits.
        let other: [UInt8] = [0x39, 0xA7, 0x94, 0xFF, 0xFE, 0x07, 0xCB, 0xD0]
        #expect(Self.status(other, domain: 127).grandmasterText == "39-A7-94-FF-FE-07-CB-D0")
        #expect(Self.status(other, domain: 127).referenceClock == "ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:127")
        #expect(Self.status([0, 1, 2, 3, 4, 5, 6, 0xF], domain: 1).grandmasterText == "00-01-02-03-04-05-06-0F")
    }
}
