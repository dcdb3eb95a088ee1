import FoundationEssentials
import Glibc

/// The three date forms RFC 9110 asks recipients to accept, all in GMT: IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`). Parsed by hand: FoundationEssentials has no
/// `DateFormatter`, and the formats are fixed.
enum HTTPDate {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse(_ text: String) -> Date? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?, month: Int?, year: Int?, clock: [Int]?
        if words.count == 6, words[5] == "GMT" {
            // IMF-fixdate split as weekday, day, month, year, time, GMT.
            day = Int(words[1]); month = monthNumber(words[2]); year = Int(words[3]); clock = time(words[4])
        } else if words.count == 4, words[3] == "GMT" {
            // RFC 850: weekday, dd-Mon-yy time GMT.
            let parts = words[1].split(separator: "-").map(String.init)
            if parts.count == 3, let shortYear = Int(parts[2]) {
                day = Int(parts[0]); month = monthNumber(parts[1]); year = shortYear < 70 ? 2000 + shortYear : 1900 + shortYear
                clock = time(words[2])
            }
        } else if words.count == 5 {
            // asctime: weekday month day time year.
            month = monthNumber(words[1]); day = Int(words[2]); clock = time(words[3]); year = Int(words[4])
        }
        guard let day, let month, let year, let clock, (1...31).contains(day) else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(clock[0])
        fields.tm_min = Int32(clock[1])
        fields.tm_sec = Int32(clock[2])
        let seconds = timegm(&fields)
        return Date(timeIntervalSince1970: Double(seconds))
    }

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased())
    }

    private static func time(_ text: String) -> [Int]? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3, (0...23).contains(parts[0]), (0...59).contains(parts[1]), (0...60).contains(parts[2]) else { return nil }
        return parts
    }
}
