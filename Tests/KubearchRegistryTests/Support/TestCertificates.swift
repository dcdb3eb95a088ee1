import Foundation

/// A throw-away certificate authority and a server certificate it signed, valid for
/// `IP:127.0.0.1` and `DNS:localhost`, made with `openssl` into `directory`.
struct TestCertificates: Sendable {
    let directory: URL
    /// PEM of the CA: what a client passes as `TransportSecurity.caFile`.
    let caFile: String
    let serverCertificateFile: String
    let serverKeyFile: String

    /// Makes a fresh CA and server certificate (EC P-256 keys, fast to generate).
    static func make(in directory: URL) async throws -> TestCertificates {
        let openssl = "/usr/bin/openssl"
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let extensions = """
            subjectAltName = IP:127.0.0.1, DNS:localhost
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """
        try extensions.write(toFile: path("server.ext"), atomically: true, encoding: .utf8)
        try await TestEnvironment.run(openssl, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("ca.key"), "-out", path("ca.crt"), "-days", "2", "-subj", "/CN=kubearch test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try await TestEnvironment.run(openssl, [
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost",
        ])
        try await TestEnvironment.run(openssl, [
            "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", path("server.crt"), "-days", "2", "-extfile", path("server.ext"),
        ])
        return TestCertificates(
            directory: directory, caFile: path("ca.crt"), serverCertificateFile: path("server.crt"),
            serverKeyFile: path("server.key")
        )
    }
}
