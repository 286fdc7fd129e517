import Foundation

/// An IPv4 or IPv6 address block, as `IpAddress`/`NotIpAddress` take them (a bare address is a /32 or /128).
public struct CIDR: Sendable, Hashable {
    /// The address as 16 bytes (IPv4 is stored as an IPv4-mapped IPv6 address so the two never match each other by accident).
    public var bytes: [UInt8]
    public var prefixLength: Int
    public var isIPv4: Bool

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first else { return nil }
        let address = String(first)
        if let v4 = CIDR.parseIPv4(address) {
            isIPv4 = true
            bytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + v4
        } else if let v6 = CIDR.parseIPv6(address) {
            isIPv4 = false
            bytes = v6
        } else {
            return nil
        }
        let maximum = isIPv4 ? 32 : 128
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...maximum).contains(length), parts[1].allSatisfy(\.isASCIIDigit) else { return nil }
            prefixLength = length
        } else {
            prefixLength = maximum
        }
    }

    /// Whether `address` (a bare address) lies inside this block.
    public func contains(_ address: CIDR) -> Bool {
        guard address.isIPv4 == isIPv4 else { return false }
        let offset = isIPv4 ? 96 : 0
        var remaining = prefixLength + offset
        for index in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask: UInt8 = bits == 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if bytes[index] & mask != address.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    static func parseIPv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCIIDigit), let value = UInt8(part) else { return nil }
            out.append(value)
        }
        return out
    }

    static func parseIPv6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        var text = text
        // An embedded IPv4 tail (::ffff:192.0.2.1) becomes two hex groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard let v4 = parseIPv4(String(text[text.index(after: lastColon)...])) else { return nil }
            let high = String(UInt16(v4[0]) << 8 | UInt16(v4[1]), radix: 16)
            let low = String(UInt16(v4[2]) << 8 | UInt16(v4[3]), radix: 16)
            text = String(text[...lastColon]) + high + ":" + low
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard !group.isEmpty, group.count <= 4, let value = UInt16(group, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all: [UInt16]
        if halves.count == 2 {
            guard let rest = groups(halves[1]) else { return nil }
            let missing = 8 - head.count - rest.count
            guard missing >= 1 else { return nil }
            all = head + [UInt16](repeating: 0, count: missing) + rest
        } else {
            all = head
            guard all.count == 8 else { return nil }
        }
        var out: [UInt8] = []
        for group in all { out += [UInt8(group >> 8), UInt8(group & 0xFF)] }
        return out
    }
}
