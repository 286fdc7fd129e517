/// CRC-32 (IEEE 802.3, zlib's), which DynamoDB sends as `x-amz-crc32` over every response body.
enum CRC32 {
    /// Slicing-by-8: table `k` (entries `256k..<256(k+1)`) advances a byte's contribution by `k` more bytes, so eight
    /// input bytes cost eight look-ups and one dependency chain step instead of eight.
    private static let tables: [UInt32] = {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for index in 0..<256 {
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
            tables[index] = value
        }
        for slice in 1..<8 {
            for index in 0..<256 {
                let previous = tables[(slice - 1) * 256 + index]
                tables[slice * 256 + index] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }()

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        tables.withUnsafeBufferPointer { t in
            bytes.withUnsafeBufferPointer { input in
                var index = 0
                while index + 8 <= input.count {
                    crc ^= UInt32(input[index]) | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2]) << 16 | UInt32(input[index + 3]) << 24
                    crc =
                        t[7 * 256 + Int(crc & 0xFF)] ^ t[6 * 256 + Int((crc >> 8) & 0xFF)] ^ t[5 * 256 + Int((crc >> 16) & 0xFF)]
                        ^ t[4 * 256 + Int(crc >> 24)] ^ t[3 * 256 + Int(input[index + 4])] ^ t[2 * 256 + Int(input[index + 5])]
                        ^ t[256 + Int(input[index + 6])] ^ t[Int(input[index + 7])]
                    index += 8
                }
                while index < input.count {
                    crc = t[Int((crc ^ UInt32(input[index])) & 0xFF)] ^ (crc >> 8)
                    index += 1
                }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
