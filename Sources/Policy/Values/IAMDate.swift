import Source
import Foundation

/// Dates as IAM conditions take them: ISO 8601 (`2026-01-01`, `2026-01-01T12:00:00Z`, with fractions or an
/// offset) or epoch seconds.
public enum IAMDate {
    /// The days of `month` (1…12) in `year` of the proleptic Gregorian calendar: 2026-02-31 is no date.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds since 1970, or `nil` when `text` is not a date IAM accepts.
    public static func parse(_ text: String) -> Double? {
        if !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) { return Double(text) }
        let scalars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= scalars.count else { return nil }
            var value = 0
            for byte in scalars[range] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard scalars.count >= 10, let year = number(0..<4), scalars[4] == UInt8(ascii: "-"), let month = number(5..<7),
            scalars[7] == UInt8(ascii: "-"), let day = number(8..<10), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour = 0, minute = 0, second = 0.0, offset = 0
        var index = 10
        if index < scalars.count {
            guard scalars[index] == UInt8(ascii: "T") || scalars[index] == UInt8(ascii: " "),
                let h = number(11..<13), scalars.count > 13, scalars[13] == UInt8(ascii: ":"), let m = number(14..<16)
            else { return nil }
            hour = h
            minute = m
            index = 16
            if index < scalars.count, scalars[index] == UInt8(ascii: ":") {
                guard let s = number(17..<19) else { return nil }
                second = Double(s)
                index = 19
                if index < scalars.count, scalars[index] == UInt8(ascii: ".") {
                    var end = index + 1
                    while end < scalars.count, scalars[end] >= 48 && scalars[end] <= 57 { end += 1 }
                    guard end > index + 1, let fraction = Double("0" + String(decoding: scalars[index..<end], as: UTF8.self)) else { return nil }
                    second += fraction
                    index = end
                }
            }
            if index < scalars.count {
                switch scalars[index] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    index += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = scalars[index] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = number(index + 1..<index + 3) else { return nil }
                    var om = 0
                    var next = index + 3
                    if next < scalars.count, scalars[next] == UInt8(ascii: ":") { next += 1 }
                    if next < scalars.count {
                        guard let parsed = number(next..<next + 2) else { return nil }
                        om = parsed
                        next += 2
                    }
                    offset = sign * (oh * 3600 + om * 60)
                    index = next
                default:
                    return nil
                }
            }
            guard index == scalars.count, hour < 24, minute < 60, second < 61 else { return nil }
        }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 - offset) + second
    }
}
