/// Reads a lockfile from the YAML model, so every problem names its line and column.
enum LockfileParser {
    static let topLevelKeys = ["version", "images"]
    static let entryKeys = ["digest", "platforms"]

    static func parse(_ bytes: [UInt8]) throws(FieldProblem) -> Lockfile {
        let stream = YAMLParser.parse(bytes)
        if let error = stream.error {
            throw FieldProblem(position: error.position, message: error.message)
        }
        if stream.documents.count > 1 {
            throw FieldProblem(position: stream.documents[1].range.start, message: "the lockfile must be a single YAML document")
        }
        guard let root = stream.documents.first?.root.resolved, !root.isNull else {
            throw FieldProblem(position: SourcePosition(offset: 0, line: 1, column: 1), message: missingVersion)
        }
        guard root.isMapping else {
            throw FieldProblem(position: root.start, message: "the lockfile must be a mapping, found \(YAMLFieldReader.kind(of: root))")
        }
        // Built apart from the Lockfile: each `lockfile.entries[…] =` would copy the whole dictionary.
        var entries: [String: LockEntry] = [:]
        var sawVersion = false
        for entry in try YAMLFieldReader.entries(of: root, at: .root, allowed: topLevelKeys) {
            if entry.key == "version" {
                let version = try YAMLFieldReader.integer(entry.value, at: entry.path)
                guard version == Lockfile.currentVersion else {
                    throw FieldProblem(
                        position: entry.value.start,
                        message: "unsupported 'version' \(version) (this kubearch reads version \(Lockfile.currentVersion))")
                }
                sawVersion = true
            } else {
                for image in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: nil) {
                    guard !image.key.isEmpty, !image.key.contains(where: \.isWhitespace) else {
                        throw FieldProblem(position: image.keyNode.start, message: "'\(image.path)' is not an image reference")
                    }
                    entries[image.key] = try readEntry(image)
                }
            }
        }
        guard sawVersion else { throw FieldProblem(position: root.start, message: missingVersion) }
        return Lockfile(entries: entries)
    }

    private static let missingVersion = "missing key 'version' (expected 'version: \(Lockfile.currentVersion)')"

    private static func readEntry(_ image: FieldEntry) throws(FieldProblem) -> LockEntry {
        var digest: String?
        var platforms: [Platform]?
        let fields = try YAMLFieldReader.entries(of: image.value, at: image.path, allowed: entryKeys)
        for field in fields {
            if field.key == "digest" {
                let text = try YAMLFieldReader.string(field.value, at: field.path, expected: "a digest")
                guard LockEntry.isValidDigest(text) else {
                    throw FieldProblem(
                        position: field.value.start,
                        message: "'\(field.path)' is not a digest: '\(text)' (expected sha256: and 64 lowercase hex digits)")
                }
                digest = text
            } else {
                let items = try YAMLFieldReader.sequence(field.value, at: field.path, expected: "a list of platforms like [linux/amd64]")
                var parsed: [Platform] = []
                for (index, item) in items.enumerated() {
                    let text = try YAMLFieldReader.string(item, at: field.path.index(index), expected: "a platform")
                    guard let platform = Platform(parsing: text) else {
                        throw FieldProblem(
                            position: item.start,
                            message: "'\(field.path.index(index))' is not a platform: '\(text)' (expected os/arch[/variant])")
                    }
                    parsed.append(platform)
                }
                platforms = parsed
            }
        }
        let position = image.value.isNull ? image.keyNode.start : image.value.start
        guard let digest else { throw FieldProblem(position: position, message: "'\(image.path)' has no 'digest'") }
        guard let platforms else { throw FieldProblem(position: position, message: "'\(image.path)' has no 'platforms'") }
        return LockEntry(digest: digest, platforms: platforms)
    }
}
