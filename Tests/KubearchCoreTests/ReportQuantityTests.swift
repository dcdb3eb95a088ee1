import Testing
@testable import KubearchCore

@Suite("Report: resource quantities")
struct ReportQuantityTests {
    @Test("CPU in millicores, rounded up as the API server rounds", arguments: [
        ("500m", 500), ("1", 1000), ("0.5", 500), ("2.25", 2250), ("1e3", 1_000_000), ("1E-3", 1), ("100u", 1),
        ("1k", 1_000_000), ("+250m", 250), ("0.0001", 1), ("3", 3000), (".5", 500), ("1.", 1000),
    ])
    func cpu(_ text: String, _ millis: Int) throws {
        #expect(try ResourceQuantity(parsing: text).millis == millis)
    }

    @Test("memory in bytes", arguments: [
        ("2Gi", 2 * 1_073_741_824), ("128Mi", 134_217_728), ("1Ki", 1024), ("1k", 1000), ("1M", 1_000_000),
        ("1.5Gi", 1_610_612_736), ("129e6", 129_000_000), ("0.5Ki", 512), ("1Ti", 1_099_511_627_776),
    ])
    func memory(_ text: String, _ bytes: Int) throws {
        #expect(try ResourceQuantity(parsing: text).units == bytes)
    }

    @Test("the integer fast path agrees with the Decimal parse wherever it answers", arguments: [
        "500m", "1", "0.5", "2.25", "1k", "1M", "1G", "128Mi", "1.5Gi", "2Gi", "1Ti", "0.0001", "3.14159", "999999999999999m", "1e3", "1E-3", "100u", "7Pi",
    ])
    func fastPath(_ text: String) throws {
        let quantity = try ResourceQuantity(parsing: text)
        for millis in [true, false] {
            if let fast = ResourceQuantity.fastRoundedUp(text, millis: millis) {
                #expect(fast == (millis ? quantity.millis : quantity.units), "\(text) millis: \(millis)")
            }
        }
        #expect(ResourceQuantity.fastRoundedUp("500m", millis: true) == 500)
        #expect(ResourceQuantity.fastRoundedUp("1e3", millis: true) == nil)
    }

    @Test("what the API server rejects is an error naming the text", arguments: ["", "abc", "1GB", "-1", "1..2", "m", "1e", "1e3.5", "1 Gi", "Gi"])
    func invalid(_ text: String) {
        #expect(throws: ResourceQuantityError.self) { try ResourceQuantity(parsing: text) }
    }

    @Test("the error message names the quantity")
    func message() {
        do {
            _ = try ResourceQuantity(parsing: "1GB")
            Issue.record("1GB parsed")
        } catch {
            #expect(error.description.contains("`1GB`"))
            #expect(error.description.contains("unknown suffix `GB`"))
        }
    }
}
