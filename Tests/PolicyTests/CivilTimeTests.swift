import Source
import Testing

/// The one calendar: round trips and the edges people get wrong (leap days, before 1970, the year 2038).
@Suite struct CivilTimeTests {
    @Test(arguments: [
        (0, "1970-01-01T00:00:00Z", "19700101T000000Z"),
        (1_767_225_600, "2026-01-01T00:00:00Z", "20260101T000000Z"),
        (951_782_400, "2000-02-29T00:00:00Z", "20000229T000000Z"),
        (-1, "1969-12-31T23:59:59Z", "19691231T235959Z"),
        (2_147_483_648, "2038-01-19T03:14:08Z", "20380119T031408Z"),
    ])
    func formats(seconds: Int, iso: String, compact: String) {
        #expect(CivilTime.iso8601(seconds) == iso)
        #expect(CivilTime.compact(seconds) == compact)
        #expect(CivilTime.compactDay(seconds) == String(compact.prefix(8)))
        #expect(CivilTime.seconds(CivilTime.components(seconds)) == seconds)
    }

    @Test func everyDayOfFourCenturiesRoundTrips() {
        for day in stride(from: -146_097, through: 146_097, by: 1) {
            let c = CivilTime.components(day * 86400)
            #expect(CivilTime.daysFromCivil(year: c.year, month: c.month, day: c.day) == day)
            if CivilTime.daysFromCivil(year: c.year, month: c.month, day: c.day) != day { return }
        }
    }
}
