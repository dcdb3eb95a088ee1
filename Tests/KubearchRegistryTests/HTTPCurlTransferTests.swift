import Foundation
import Testing

@testable import KubearchRegistry

/// The per-transfer state libcurl's callbacks feed: header lines and the bounded body.
@Suite("HTTP CurlTransfer parsing")
struct HTTPCurlTransferTests {
    private func feed(_ transfer: CurlTransfer, _ lines: [String]) {
        for line in lines {
            Array(line.utf8).withUnsafeBytes { transfer.receiveHeaderLine($0) }
        }
    }

    @Test func onlyTheLastResponsesFieldsAreKept() {
        let transfer = CurlTransfer(limit: 10)
        feed(transfer, [
            "HTTP/1.1 100 Continue\r\n", "X-Interim: yes\r\n", "\r\n",
            "HTTP/1.1 200 OK\r\n", "Content-Type: application/json\r\n",
            "WWW-Authenticate: Bearer realm=\"a\"\r\n", "www-authenticate: Basic realm=\"b\"\r\n", "\r\n",
        ])
        let response = HTTPResponse(status: 200, headers: transfer.headers)
        #expect(transfer.headers.map(\.name) == ["Content-Type", "WWW-Authenticate", "www-authenticate"])
        #expect(response.header("content-type") == "application/json")
        #expect(response.headers(named: "WWW-Authenticate") == ["Bearer realm=\"a\"", "Basic realm=\"b\""])
    }

    @Test func foldedLinesContinueTheFieldAndValuesAreTrimmed() {
        let transfer = CurlTransfer(limit: 10)
        feed(transfer, ["HTTP/2 200\r\n", "X-Long:  first part \r\n", "\t second part\r\n", "Empty:\r\n", "\r\n"])
        #expect(transfer.headers.count == 2)
        #expect(transfer.headers.first?.value == "first part second part")
        #expect(transfer.headers.last?.value == "")
    }

    @Test func bodyStopsAtTheLimit() {
        let transfer = CurlTransfer(limit: 5)
        let accepted = Array("abc".utf8).withUnsafeBytes { transfer.receiveBody($0) }
        let refused = Array("def".utf8).withUnsafeBytes { transfer.receiveBody($0) }
        #expect(accepted && !refused)
        #expect(transfer.exceededLimit)
        #expect(transfer.body == Data("abc".utf8))
    }
}
