import Foundation
import NIOConcurrencyHelpers
import NIOSSL

/// The server's TLS context, rebuilt when the certificate or key file changes (cert-manager renews
/// the Secret; the kubelet swaps the mounted files), so renewals need no restart. Checked when a
/// connection arrives, at most once a second; a pair that does not load (a key that does not match
/// its certificate, a half-written file) keeps the previous context and is tried again later.
final class TLSContextSource: Sendable {
    let certificatePath: String
    let keyPath: String

    private struct State {
        var context: NIOSSLContext
        var identity: [FileIdentity]
        var lastCheck: ContinuousClock.Instant
    }

    private let state: NIOLockedValueBox<State>
    private let clock = ContinuousClock()
    private let onReload: @Sendable (Result<Void, any Error>) -> Void

    /// Loads the pair now: a server that cannot serve TLS must not start.
    init(certificatePath: String, keyPath: String, onReload: @escaping @Sendable (Result<Void, any Error>) -> Void = { _ in }) throws {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.onReload = onReload
        let identity = [FileIdentity(path: certificatePath), FileIdentity(path: keyPath)]
        let context = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
        state = NIOLockedValueBox(State(context: context, identity: identity, lastCheck: ContinuousClock().now))
    }

    /// The context for a new connection.
    func currentContext() -> NIOSSLContext {
        state.withLockedValue { state in
            let now = clock.now
            guard now - state.lastCheck >= .seconds(1) else { return state.context }
            state.lastCheck = now
            let identity = [FileIdentity(path: certificatePath), FileIdentity(path: keyPath)]
            guard identity != state.identity else { return state.context }
            do {
                state.context = try Self.load(certificatePath: certificatePath, keyPath: keyPath)
                state.identity = identity
                onReload(.success(()))
            } catch {
                onReload(.failure(error))
            }
            return state.context
        }
    }

    private static func load(certificatePath: String, keyPath: String) throws -> NIOSSLContext {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath).map(NIOSSLCertificateSource.certificate)
        let key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        return try NIOSSLContext(configuration: configuration)
    }
}

/// What tells that a file changed: a rename over it (the kubelet's `..data` swap) changes the inode,
/// an edit in place the size or modification time. Follows symlinks.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var size: Int64 = 0
    var modified: Int = 0
    var modifiedNanoseconds: Int = 0

    init(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = Int(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        #else
        modified = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        #endif
    }
}
