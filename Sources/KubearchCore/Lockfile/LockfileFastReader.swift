/// Reads a lockfile exactly as `Lockfile.render()` writes it, line by line, without building a YAML
/// tree: a pre-commit hook loads a lockfile of thousands of images to check a handful of files, and
/// this makes that load cost next to nothing. Anything it does not recognise — quoted keys, comments
/// between entries, other spacing, a duplicate key, an invalid value — makes it give up (nil), and
/// the full YAML parser reads the file instead, with its located error messages.
enum LockfileFastReader {
    static func read(_ bytes: [UInt8]) -> Lockfile? {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
        guard lines.last?.isEmpty == true else { return nil }  // the renderer ends with a line break
        lines.removeLast()
        while let first = lines.first, first.first == UInt8(ascii: "#") { lines.removeFirst() }
        guard lines.popFirst().map(text) == "version: \(Lockfile.currentVersion)" else { return nil }
        guard let images = lines.popFirst().map(text) else { return nil }
        if images == "images: {}" { return lines.isEmpty ? Lockfile() : nil }
        guard images == "images:", lines.count % 3 == 0 else { return nil }

        var entries: [String: LockEntry] = [:]
        entries.reserveCapacity(lines.count / 3)
        while !lines.isEmpty {
            guard let keyLine = lines.popFirst(), let digestLine = lines.popFirst(), let platformsLine = lines.popFirst(),
                  let key = field(keyLine, indent: 2, name: nil),
                  let digest = field(digestLine, indent: 4, name: "digest"),
                  let list = field(platformsLine, indent: 4, name: "platforms"),
                  isPlain(key), LockEntry.isValidDigest(digest), entries[key] == nil,
                  list.hasPrefix("["), list.hasSuffix("]")
            else { return nil }
            var platforms: [Platform] = []
            for item in list.dropFirst().dropLast().split(separator: ",") {
                let name = item.hasPrefix(" ") ? String(item.dropFirst()) : String(item)
                guard isPlain(name), let platform = Platform(parsing: name), platform.description == name else { return nil }
                platforms.append(platform)
            }
            entries[key] = LockEntry(digest: digest, platforms: platforms)
        }
        return Lockfile(entries: entries)
    }

    private static func text(_ line: ArraySlice<UInt8>) -> String { String(decoding: line, as: UTF8.self) }

    /// `<indent>name: value` (or `<indent>key:` when `name` is nil), returning the value (or key).
    private static func field(_ line: ArraySlice<UInt8>, indent: Int, name: String?) -> String? {
        guard line.count > indent, line.prefix(indent).allSatisfy({ $0 == UInt8(ascii: " ") }),
              line[line.startIndex + indent] != UInt8(ascii: " ")
        else { return nil }
        let rest = text(line.dropFirst(indent))
        if let name {
            let prefix = name + ": "
            guard rest.hasPrefix(prefix) else { return nil }
            return String(rest.dropFirst(prefix.count))
        }
        guard rest.hasSuffix(":") else { return nil }
        return String(rest.dropLast())
    }

    /// A scalar YAML reads back as exactly this string: only the characters image references and
    /// platforms are made of, starting with a letter or digit (so no indicator, quote or comment).
    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.utf8.first, isAlphanumeric(first) else { return false }
        return text.utf8.allSatisfy { byte in
            isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "@")
        } && text.utf8.last != UInt8(ascii: ":")
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
