import Foundation
import Testing
@testable import KubearchCore

@Suite("Configuration")
struct ConfigurationTests {
    private static func parse(_ text: String) throws(ConfigurationError) -> Configuration {
        try Configuration.parse(bytes: Array(text.utf8), path: ".kubearch.yaml")
    }

    @Test func specExampleParsesWithExactlyItsValues() throws {
        let path = TestPaths.fixtures.appendingPathComponent("config/spec-example.kubearch.yaml").path
        let configuration = try Configuration.load(path: path)
        #expect(configuration.architectures == ["amd64", "arm64"])
        #expect(configuration.windowsArchitectures == ["amd64"])
        #expect(configuration.strategy == .required)
        #expect(configuration.preferredArchitecture == "amd64")
        #expect(configuration.rules == [.missingArchitectureConstraint: .warning])
        #expect(configuration.exclude == [Glob("charts/**")])
        #expect(configuration.registries.count == 2)
        #expect(configuration.registries["docker.io"] == RegistrySettings(
            mirrors: ["https://harbor.example.com/dockerhub-proxy", "http://127.0.0.1:5000/mirror/docker.io"], fallback: true))
        let folder = TestPaths.fixtures.appendingPathComponent("config").path
        #expect(configuration.registries["registry.internal:5000"] == RegistrySettings(
            insecure: true, caFile: folder + "/certs/internal-ca.pem"))
        #expect(configuration.severity(for: .missingArchitectureConstraint) == .warning)
        #expect(configuration.severity(for: .noCommonArchitecture) == .error)
    }

    @Test func defaultsWithoutAFile() {
        let configuration = Configuration.default
        #expect(configuration.architectures == ["amd64", "arm64"])
        #expect(configuration.windowsArchitectures == ["amd64"])
        #expect(configuration.strategy == .required)
        #expect(configuration.preferredArchitecture == "amd64")
        #expect(configuration.rules.isEmpty)
        #expect(configuration.exclude.isEmpty)
        #expect(configuration.registries.isEmpty)
        for rule in RuleID.allCases {
            #expect(configuration.severity(for: rule) == rule.defaultSeverity)
        }
    }

    @Test func minimalFileIsTheDefault() throws {
        let path = TestPaths.fixtures.appendingPathComponent("config/minimal.kubearch.yaml").path
        #expect(try Configuration.load(path: path) == .default)
    }

    @Test func nullSectionsMeanDefaults() throws {
        let configuration = try Self.parse("version: 1\ncluster:\npolicy:\nrules:\nexclude:\nregistries:\n  ghcr.io:\n")
        #expect(configuration == Configuration(registries: ["ghcr.io": RegistrySettings()]))
    }

    @Test func flowStyleAnchorsAndAllSettings() throws {
        let path = TestPaths.fixtures.appendingPathComponent("config/flow-and-anchors.kubearch.yaml").path
        let configuration = try Configuration.load(path: path)
        #expect(configuration.architectures == ["arm64", "amd64", "riscv64"])
        #expect(configuration.windowsArchitectures == ["arm64", "amd64", "riscv64"])
        #expect(configuration.strategy == .pin)
        #expect(configuration.preferredArchitecture == "arm64")
        #expect(configuration.severity(for: .daemonSetPartialCoverage) == nil)
        #expect(configuration.severity(for: .noCommonArchitecture) == .warning)
        #expect(configuration.severity(for: .templateSkipped) == .note)
        #expect(configuration.exclude.map(\.pattern) == ["vendor/**", "*.generated.yaml"])
        #expect(configuration.registries["localhost:5000"] == RegistrySettings(insecure: true, caFile: "/etc/ssl/local.pem"))
        #expect(configuration.registries["ghcr.io"] == RegistrySettings())
    }

    @Test(arguments: [
        ("required", Strategy.required), ("prefer", .prefer), ("pin", .pin),
    ])
    func strategies(text: String, expected: Strategy) throws {
        #expect(try Self.parse("version: 1\npolicy:\n  strategy: \(text)\n").strategy == expected)
    }

    @Test(arguments: [
        ("error", RuleSetting.error, Severity?.some(.error)),
        ("warning", .warning, .warning),
        ("note", .note, .note),
        ("off", .off, nil),
    ])
    func ruleSettings(text: String, setting: RuleSetting, severity: Severity?) throws {
        let configuration = try Self.parse("version: 1\nrules:\n  KA001: \(text)\n")
        #expect(configuration.rules == [.noCommonArchitecture: setting])
        #expect(configuration.severity(for: .noCommonArchitecture) == severity)
        #expect(configuration.severity(for: .unresolvedImage) == .error)
    }

    @Test func caFileResolvedAgainstTheConfigurationFolder() throws {
        let text = "version: 1\nregistries:\n  r.example:\n    caFile: ca/r.pem\n  s.example:\n    caFile: /abs/s.pem\n"
        let nested = try Configuration.parse(bytes: Array(text.utf8), path: "repo/sub/.kubearch.yaml")
        #expect(nested.registries["r.example"]?.caFile == "repo/sub/ca/r.pem")
        #expect(nested.registries["s.example"]?.caFile == "/abs/s.pem")
        let here = try Configuration.parse(bytes: Array(text.utf8), path: ".kubearch.yaml")
        #expect(here.registries["r.example"]?.caFile == "ca/r.pem")
    }

    @Test func registryLookupIgnoresCaseAndDefaultsWhenAbsent() throws {
        let configuration = try Self.parse("version: 1\nregistries:\n  Registry.Example:5000:\n    insecure: true\n")
        #expect(configuration.registrySettings(forHost: "registry.example:5000").insecure)
        #expect(configuration.registrySettings(forHost: "other.example") == RegistrySettings())
    }

    @Test(arguments: [
        ("https://mirror.example.com", "https://mirror.example.com"),
        ("http://127.0.0.1:5000/mirror/docker.io", "http://127.0.0.1:5000/mirror/docker.io"),
        ("HTTPS://[::1]:8443/p/", "HTTPS://[::1]:8443/p"),
        ("https://harbor.example.com/dockerhub-proxy", "https://harbor.example.com/dockerhub-proxy"),
    ])
    func mirrorShorthandIsAListOfOne(url: String, stored: String) throws {
        let configuration = try Self.parse("version: 1\nregistries:\n  docker.io:\n    mirror: \(url)\n")
        #expect(configuration.registries["docker.io"] == RegistrySettings(mirrors: [stored]))
    }

    @Test func mirrorsKeepTheirOrderAndFallbackCanBeOff() throws {
        let configuration = try Self.parse("""
            version: 1
            registries:
              docker.io:
                mirrors: [http://127.0.0.1:1/dead, "https://harbor.example.com/dockerhub-proxy/"]
                fallback: false
              ghcr.io:
                mirrors:
                - https://nexus.example.com/ghcr
            """)
        #expect(configuration.registries["docker.io"] == RegistrySettings(
            mirrors: ["http://127.0.0.1:1/dead", "https://harbor.example.com/dockerhub-proxy"], fallback: false))
        #expect(configuration.registries["ghcr.io"] == RegistrySettings(mirrors: ["https://nexus.example.com/ghcr"], fallback: true))
    }

    @Test(arguments: [("amd64", true), ("ppc64le", true), ("386", true), ("s390x", true),
                      ("", false), ("AMD64", false), ("arm/v7", false), ("x86_64", false), ("arm 64", false)])
    func architectureNames(name: String, valid: Bool) {
        #expect(Configuration.isValidArchitectureName(name) == valid)
    }

    @Test func unreadableFileNamesThePath() {
        #expect(throws: ConfigurationError(path: "/nonexistent/.kubearch.yaml", position: nil, message: "cannot read: No such file or directory")) {
            try Configuration.load(path: "/nonexistent/.kubearch.yaml")
        }
    }
}
