import Planning
import Testing

/// What a take implies where nothing is asked: the rules the command line used to apply while parsing.
@Suite struct TakeDefaultsTests {
    @Test("an AES67 take's timestamps follow PTP time unless another origin is asked; others follow the wall clock")
    func aes67ImpliesPTPTime() {
        var take = Take()
        #expect(take.origin == .wallClock)
        take.aes67 = true
        #expect(take.origin == .ptp)
        take.timestampOrigin = .random
        #expect(take.origin == .random)
        take.aes67 = false
        take.timestampOrigin = .ptp
        #expect(take.origin == .ptp)
    }
}
