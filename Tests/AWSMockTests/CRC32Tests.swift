@testable import AWSMock
import Testing

/// The slicing-by-8 CRC-32 against the bit-at-a-time definition, at every length around its 8-byte steps.
@Suite struct CRC32Tests {
    static func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return crc ^ 0xFFFF_FFFF
    }

    @Test func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test func everyLengthAgreesWithTheDefinition() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for length in 0..<100 {
            let bytes = (0..<length).map { _ -> UInt8 in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 33)
            }
            #expect(CRC32.checksum(bytes) == Self.reference(bytes), "length \(length)")
        }
    }
}
