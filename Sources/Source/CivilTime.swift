/// UTC calendar arithmetic, locale-free and without Foundation's formatters: the one date utility of Trustflow. The
/// engine's dates (`aws:CurrentTime`, `DateLessThan`), SigV4's `X-Amz-Date`, STS's `Expiration` and the simulator's
/// clock all go through it. Days ↔ civil dates by Howard Hinnant's algorithms (proleptic Gregorian).
public enum CivilTime {
    public struct Components: Sendable, Hashable {
        public var year: Int
        public var month: Int
        public var day: Int
        public var hour: Int
        public var minute: Int
        public var second: Int

        public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
            self.year = year
            self.month = month
            self.day = day
            self.hour = hour
            self.minute = minute
            self.second = second
        }
    }

    /// Days since 1970-01-01 of a civil date.
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Seconds since 1970 of a UTC date and time.
    public static func seconds(_ c: Components) -> Int {
        daysFromCivil(year: c.year, month: c.month, day: c.day) * 86400 + c.hour * 3600 + c.minute * 60 + c.second
    }

    /// The UTC date and time of `seconds` since 1970 (rounded down).
    public static func components(_ seconds: Int) -> Components {
        var days = seconds / 86400
        var rest = seconds % 86400
        if rest < 0 {
            rest += 86400
            days -= 1
        }
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return Components(year: yoe + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    public static func iso8601(_ seconds: Int) -> String {
        let c = components(seconds)
        var out: [UInt8] = []
        out.reserveCapacity(20)
        digits(c.year, 4, &out)
        out.append(UInt8(ascii: "-"))
        digits(c.month, 2, &out)
        out.append(UInt8(ascii: "-"))
        digits(c.day, 2, &out)
        out.append(UInt8(ascii: "T"))
        digits(c.hour, 2, &out)
        out.append(UInt8(ascii: ":"))
        digits(c.minute, 2, &out)
        out.append(UInt8(ascii: ":"))
        digits(c.second, 2, &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYYMMDDTHHMMSSZ`, SigV4's `X-Amz-Date`.
    public static func compact(_ seconds: Int) -> String {
        let c = components(seconds)
        var out: [UInt8] = []
        out.reserveCapacity(16)
        digits(c.year, 4, &out)
        digits(c.month, 2, &out)
        digits(c.day, 2, &out)
        out.append(UInt8(ascii: "T"))
        digits(c.hour, 2, &out)
        digits(c.minute, 2, &out)
        digits(c.second, 2, &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// `YYYYMMDD`, SigV4's credential-scope date.
    public static func compactDay(_ seconds: Int) -> String {
        let c = components(seconds)
        var out: [UInt8] = []
        out.reserveCapacity(8)
        digits(c.year, 4, &out)
        digits(c.month, 2, &out)
        digits(c.day, 2, &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `value` in exactly `width` decimal digits (negative values as 0; wider values keep their low digits).
    private static func digits(_ value: Int, _ width: Int, _ out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = max(0, value) % (divisor * 10)
        while divisor > 0 {
            out.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
