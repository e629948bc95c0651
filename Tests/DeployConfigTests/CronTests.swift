import DeployConfig
import Testing

@Suite struct CronTests {
    @Test(arguments: [
        "0 9 * * MON", "*/15 * * * *", "0 0 1 JAN,jul *", "5,35 8-18/2 * * 1-5", "0 0 * * 7", "59 23 31 12 SUN-SAT",
    ])
    func accepts(_ expression: String) {
        #expect(Cron.problem(in: expression) == nil)
    }

    @Test(arguments: [
        ("0 9 * *", "has 4"),
        ("60 * * * *", "minute '60' is not a number from 0 to 59"),
        ("* 24 * * *", "hour '24'"),
        ("* * 0 * *", "day of month '0'"),
        ("* * * 13 *", "month '13' is not a number from 1 to 12 or a name JAN–DEC"),
        ("* * * * MONDAY", "day of week 'MONDAY'"),
        ("*/0 * * * *", "minute step '0'"),
        ("10-5 * * * *", "runs backwards"),
        ("1,,2 * * * *", "minute ''"),
        ("1/2/3 * * * *", "more than one '/'"),
    ])
    func rejects(_ expression: String, _ expected: String) throws {
        let problem = try #require(Cron.problem(in: expression))
        #expect(problem.contains(expected), "\(problem)")
    }
}

@Suite struct TimeZoneTests {
    @Test func knowsZonesOfTheMachine() {
        let zones = TimeZones()
        #expect(zones.check("America/Chicago") == .known)
        #expect(zones.check("UTC") == .known)
        #expect(zones.check("America/Chicgo") == .unknown)
        #expect(zones.check("../etc/passwd") == .unknown)
        #expect(zones.check("zone.tab") == .unknown)  // a table in the directory, not a zone
    }

    @Test func suggestsTheClosestZone() {
        let zones = TimeZones()
        #expect(zones.closest(to: "America/Chicgo") == "America/Chicago")
        #expect(zones.closest(to: "Europ/Berlin") == "Europe/Berlin")
        #expect(zones.closest(to: "Mars/Olympus") == nil)
    }

    @Test func saysSoWhenItCannotCheck() {
        #expect(TimeZones(directory: "/nonexistent").check("Europe/Berlin") == .uncheckable)
    }
}
