import Foundation
import KubearchCore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kubearch lock` over manifests whose images come through the fault proxy, some of them faulty:
/// exit code 2, every faulty image named with its fault, and a lockfile that parses and holds
/// exactly the images that resolved (plus the entries it had before).
@Suite("Faults: kubearch lock")
struct FaultLockCLITests {
    /// What one image is and what the proxy does to it.
    struct Image {
        var name: String
        var fault: Fault?
        /// Fragment of the error `lock` must print for it; nil when it must resolve.
        var error: String?
        var pushed = true
        var reference = ""
        var digest: String?
    }

    static func images() -> [Image] {
        [
            Image(name: "good-index"),
            Image(name: "good-single"),
            Image(name: "retry-after", fault: .status(429, times: 1, retryAfter: "1")),
            Image(name: "reset-once", fault: .reset(times: 1)),
            Image(name: "unavailable", fault: .status(503), error: "gave up after 4 attempts: HTTP 503"),
            Image(name: "flipped", fault: .flippedByte, error: "digest mismatch"),
            Image(name: "garbled", fault: .invalidJSON, error: "malformed manifest"),
            Image(name: "looping", fault: .redirectLoop, error: "too many redirects"),
            Image(name: "huge", fault: .huge(bytes: 100 << 20, chunked: true), error: "larger than"),
            Image(name: "missing", error: "manifest unknown", pushed: false),
        ]
    }

    /// Pushes every image (a fresh repository each) and sets its fault.
    static func prepare(_ proxy: FaultProxy) async throws -> [Image] {
        let pusher = RegistryPusher(proxy.upstream)
        var prepared: [Image] = []
        for var image in images() {
            let repository = FaultInjectionTests.repositoryName("lock-\(image.name)")
            image.reference = "\(proxy.host)/\(repository):v1"
            if image.name == "good-index" {
                let amd64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxAmd64)
                let arm64 = try await pusher.pushImage(to: repository, tag: nil, platform: .linuxArm64)
                image.digest = try await pusher.pushIndex(of: [amd64, arm64], to: repository, tag: "v1").digest
            } else if image.pushed {
                image.digest = try await pusher.pushImage(to: repository, tag: "v1", platform: .linuxAmd64).digest
            }
            if let fault = image.fault { try await proxy.inject(fault, repository: repository) }
            prepared.append(image)
        }
        return prepared
    }

    static func deployment(_ name: String, images: [Image]) -> String {
        let containers = images.enumerated().map { index, image in
            "      - name: c\(index)\n        image: \(image.reference)\n"
        }.joined()
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
            spec:
              selector: {matchLabels: {app: \(name)}}
              template:
                metadata: {labels: {app: \(name)}}
                spec:
                  containers:

            """ + containers
    }

    /// A project folder with the config and two manifest files sharing the images between them.
    static func project(_ images: [Image]) throws -> URL {
        let folder = try TestEnvironment.makeTemporaryDirectory("lock-faults")
        try "version: 1\ncluster:\n  architectures: [amd64, arm64]\n".write(
            to: folder.appendingPathComponent(".kubearch.yaml"), atomically: true, encoding: .utf8)
        let manifests = folder.appendingPathComponent("manifests")
        try FileManager.default.createDirectory(at: manifests, withIntermediateDirectories: true)
        let half = images.count / 2
        try deployment("first", images: Array(images[..<half])).write(
            to: manifests.appendingPathComponent("first.yaml"), atomically: true, encoding: .utf8)
        try deployment("second", images: Array(images[half...])).write(
            to: manifests.appendingPathComponent("second.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    static func lockfile(in folder: URL) throws -> Lockfile {
        let loaded = try #require(try Lockfile.load(path: folder.appendingPathComponent("kubearch.lock").path))
        return loaded.lockfile
    }

    /// Exit 2, each faulty image on its own stderr line with its fault, the good ones locked.
    static func expectLockOutcome(_ result: KubearchBinary.Result, images: [Image], elapsed: Double) {
        #expect(result.status == 2, "\(result.standardError)")
        #expect(elapsed < 60, "lock took \(elapsed) s")
        let lines = result.standardError.split(separator: "\n").map(String.init)
        for image in images {
            let mentions = lines.filter { $0.contains(image.reference) }
            if let error = image.error {
                #expect(mentions.contains { $0.hasPrefix("kubearch: \(image.reference): ") && $0.contains(error) },
                    "\(image.name): \(mentions)")
            } else {
                #expect(mentions.isEmpty, "\(image.name) resolved but stderr says \(mentions)")
            }
        }
    }

    @Test func lockWritesExactlyTheImagesThatResolved() async throws {
        let proxy = try await FaultProxy.shared(.open)
        let images = try await Self.prepare(proxy)
        let folder = try Self.project(images)
        defer { try? FileManager.default.removeItem(at: folder) }

        let started = Date()
        let result = try await KubearchBinary.run(["lock", "manifests"], in: folder, home: folder)
        Self.expectLockOutcome(result, images: images, elapsed: Date().timeIntervalSince(started))

        let lockfile = try Self.lockfile(in: folder)
        let good = images.filter { $0.error == nil }
        #expect(Set(lockfile.entries.keys) == Set(good.map(\.reference)))
        for image in good {
            #expect(lockfile.entries[image.reference]?.digest == image.digest, "\(image.name)")
        }
        #expect(lockfile.entries[images[0].reference]?.platforms.map(\.description) == ["linux/amd64", "linux/arm64/v8"])
        // Written whole, once: nothing beside it (no temporary file left behind).
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == [".kubearch.yaml", "kubearch.lock", "manifests"])
    }

    @Test func refreshWithFaultsKeepsTheOldEntries() async throws {
        let proxy = try await FaultProxy.shared(.open)
        let images = try await Self.prepare(proxy)
        let folder = try Self.project(images)
        defer { try? FileManager.default.removeItem(at: folder) }

        let stale = LockEntry(digest: "sha256:" + String(repeating: "1", count: 64), platforms: [try #require(Platform(parsing: "linux/amd64"))])
        let elsewhere = LockEntry(digest: "sha256:" + String(repeating: "2", count: 64), platforms: [try #require(Platform(parsing: "linux/arm64"))])
        let flipped = try #require(images.first { $0.name == "flipped" })
        let goodSingle = try #require(images.first { $0.name == "good-single" })
        let before = Lockfile(entries: [
            "docker.io/library/nginx:1.27": elsewhere,  // not under the scanned path: kept
            flipped.reference: stale,  // its refresh fails: the old entry stays
            goodSingle.reference: stale,  // its refresh succeeds: replaced
        ])
        let lockPath = folder.appendingPathComponent("kubearch.lock")
        try before.render().write(to: lockPath, atomically: true, encoding: .utf8)

        let started = Date()
        let result = try await KubearchBinary.run(["lock", "--refresh", "manifests"], in: folder, home: folder)
        Self.expectLockOutcome(result, images: images, elapsed: Date().timeIntervalSince(started))

        let after = try Self.lockfile(in: folder)
        let good = images.filter { $0.error == nil }
        #expect(Set(after.entries.keys) == Set(good.map(\.reference) + ["docker.io/library/nginx:1.27", flipped.reference]))
        #expect(after.entries["docker.io/library/nginx:1.27"] == elsewhere)
        #expect(after.entries[flipped.reference] == stale)
        #expect(after.entries[goodSingle.reference]?.digest == goodSingle.digest)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == [".kubearch.yaml", "kubearch.lock", "manifests"])
    }

    /// Killed (SIGKILL) while a registry is still answering slowly: the old lockfile is left byte
    /// for byte, with nothing beside it.
    @Test func killedWhileResolvingLeavesTheOldLockfile() async throws {
        let proxy = try await FaultProxy.shared(.open)
        let repository = FaultInjectionTests.repositoryName("lock-slow")
        try await RegistryPusher(proxy.upstream).pushImage(to: repository, tag: "v1", platform: .linuxAmd64)
        try await proxy.inject(.delay(20), repository: repository)
        let reference = "\(proxy.host)/\(repository):v1"
        let folder = try Self.project([Image(name: "slow", reference: reference)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let lockPath = folder.appendingPathComponent("kubearch.lock")
        let old = Lockfile(entries: [
            "docker.io/library/nginx:1.27": LockEntry(
                digest: "sha256:" + String(repeating: "3", count: 64), platforms: [try #require(Platform(parsing: "linux/amd64"))]),
        ])
        try old.render().write(to: lockPath, atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: lockPath)

        let result = try await KubearchBinary.run(["lock", "manifests"], in: folder, home: folder) { pid in
            // Kill once the registry request is in flight (or after 20 s at the latest).
            _ = try await TestEnvironment.wait(upTo: 20) { !(try await proxy.log(repository: repository).isEmpty) }
            kill(pid, SIGKILL)
        }

        #expect(result.status == SIGKILL)
        #expect(try await proxy.log(repository: repository).count == 1)
        #expect(try Data(contentsOf: lockPath) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == [".kubearch.yaml", "kubearch.lock", "manifests"])
    }
}
