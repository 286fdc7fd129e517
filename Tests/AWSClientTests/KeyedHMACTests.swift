@testable import AWSClient
import Testing

/// The signer's own HMAC-SHA256 against RFC 4231's test vectors (a short key, a key shorter than the hash, a key
/// longer than a block), and its comparison.
@Suite struct KeyedHMACTests {
    static let vectors: [(key: [UInt8], message: String, code: String)] = [
        ([UInt8](repeating: 0x0B, count: 20), "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (Array("Jefe".utf8), "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (
            [UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
    ]

    static func bytes(hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
    }

    @Test(arguments: vectors.indices) func rfc4231(_ index: Int) {
        let (key, message, code) = Self.vectors[index]
        let mac = KeyedHMACSHA256(key: key)
        #expect(KeyedHMACSHA256.constantTimeEquals(mac.authenticationCode(Array(message.utf8)), Self.bytes(hex: code)))
        // The keyed state is reused, not consumed: a second code over the same message is the same.
        #expect(KeyedHMACSHA256.constantTimeEquals(mac.authenticationCode(Array(message.utf8)), Self.bytes(hex: code)))
    }

    @Test func comparisonRefusesAnyOtherBytes() {
        let (key, message, code) = Self.vectors[0]
        let computed = KeyedHMACSHA256(key: key).authenticationCode(Array(message.utf8))
        let expected = Self.bytes(hex: code)
        for index in expected.indices {
            var wrong = expected
            wrong[index] ^= 0x01
            #expect(!KeyedHMACSHA256.constantTimeEquals(computed, wrong))
        }
        #expect(!KeyedHMACSHA256.constantTimeEquals(computed, Array(expected.dropLast())))
        #expect(!KeyedHMACSHA256.constantTimeEquals(computed, expected + [0]))
    }
}
