#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A lockfile in exactly the form `Lockfile.render()` writes, checked line by line and kept as byte
/// ranges into the file: an entry becomes strings only when it is looked up. A pre-commit run looks up a
/// handful of images in a lockfile of thousands, and turning every entry into strings, platforms and
/// dictionaries was most of that run's time.
///
/// Exact by being narrow: every line must have the rendered form (header comments of printable ASCII,
/// `version: 1`, `images:` and three lines per entry with plain keys, valid digests and canonical
/// platform lists), which is a subset of YAML that the YAML parser reads the same way. Anything else —
/// quoting, other spacing, comments between entries, a duplicate key, an invalid value — gives nil,
/// and the YAML parser reads the file instead, with its located errors.
struct LockfileIndex: Sendable {
    /// One entry's byte ranges in `bytes`, and which of `platformLists` it names.
    private struct Entry: Sendable {
        var key: Range<Int>
        var digest: Range<Int>
        var platforms: Int
    }

    private let bytes: [UInt8]
    /// Sorted by key bytes, so a lookup is a binary search; no two keys are equal.
    private let entries: [Entry]
    /// Each distinct platform list of the file, parsed and normalised once (a lockfile of thousands of
    /// images usually has a handful of them).
    private let platformLists: [[Platform]]

    var count: Int { entries.count }

    init?(_ bytes: [UInt8]) {
        guard let scanned = bytes.withUnsafeBufferPointer(Self.scan) else { return nil }
        self.bytes = bytes
        self.entries = scanned.entries
        self.platformLists = scanned.platformLists
    }

    /// The entry for `canonical`, or nil when the file has none.
    func lookup(_ canonical: String) -> LockEntry? {
        var key = canonical
        return key.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { file in
                var low = 0
                var high = entries.count
                while low < high {
                    let middle = (low + high) / 2
                    let order = Self.compare(UnsafeBufferPointer(rebasing: file[entries[middle].key]), wanted)
                    if order == 0 { return makeEntry(entries[middle], in: file) }
                    if order < 0 { low = middle + 1 } else { high = middle }
                }
                return nil
            }
        }
    }

    /// Every entry, keyed by reference (for commands that need the whole lockfile, such as `lock`).
    func allEntries() -> [String: LockEntry] {
        bytes.withUnsafeBufferPointer { file in
            var result: [String: LockEntry] = [:]
            result.reserveCapacity(entries.count)
            for entry in entries {
                result[String(decoding: UnsafeBufferPointer(rebasing: file[entry.key]), as: UTF8.self)] = makeEntry(entry, in: file)
            }
            return result
        }
    }

    private func makeEntry(_ entry: Entry, in file: UnsafeBufferPointer<UInt8>) -> LockEntry {
        LockEntry(
            digest: String(decoding: UnsafeBufferPointer(rebasing: file[entry.digest]), as: UTF8.self),
            normalizedPlatforms: platformLists[entry.platforms])
    }

    // MARK: - Reading

    private static let version = Array("version: \(Lockfile.currentVersion)".utf8)
    private static let emptyImages = Array("images: {}".utf8)
    private static let images = Array("images:".utf8)
    private static let digestPrefix = Array("    digest: ".utf8)
    private static let platformsPrefix = Array("    platforms: ".utf8)
    /// libyaml gives up on implicit keys longer than 1024 characters; references are far shorter.
    private static let longestKey = 1000

    private static func scan(_ file: UnsafeBufferPointer<UInt8>) -> (entries: [Entry], platformLists: [[Platform]])? {
        guard file.last == UInt8(ascii: "\n") else { return nil }  // the renderer ends with a line break
        var lines = LineCursor(file: file)
        var line = lines.next()
        while let comment = line, file[comment].first == UInt8(ascii: "#") {
            guard file[comment].allSatisfy(isCommentByte) else { return nil }
            line = lines.next()
        }
        guard let versionLine = line, file[versionLine].elementsEqual(version), let imagesLine = lines.next() else { return nil }
        if file[imagesLine].elementsEqual(emptyImages) { return lines.next() == nil ? ([], []) : nil }
        guard file[imagesLine].elementsEqual(images) else { return nil }

        let text = { (range: Range<Int>) in UnsafeBufferPointer(rebasing: file[range]) }
        var entries: [Entry] = []
        entries.reserveCapacity(file.count / 128)  // a rendered entry takes about that many bytes
        var platformLists: [[Platform]] = []
        var listByText: [ByteKey: Int] = [:]
        var sorted = true
        while let keyLine = lines.next() {
            guard let digestLine = lines.next(), let platformsLine = lines.next(),
                  let key = imageKey(keyLine, in: file),
                  let digest = value(digestLine, after: digestPrefix, in: file), isDigest(digest, in: file),
                  let list = value(platformsLine, after: platformsPrefix, in: file)
            else { return nil }
            let listText = ByteKey(text(list))
            let platforms: Int
            if let known = listByText[listText] {
                platforms = known
            } else {
                guard let parsed = platformList(file[list]) else { return nil }
                platforms = platformLists.count
                platformLists.append(parsed)
                listByText[listText] = platforms
            }
            if let previous = entries.last, compare(text(previous.key), text(key)) >= 0 {
                sorted = false
            }
            entries.append(Entry(key: key, digest: digest, platforms: platforms))
        }
        if !sorted {
            entries.sort { compare(text($0.key), text($1.key)) < 0 }
            for (left, right) in zip(entries, entries.dropFirst()) where compare(text(left.key), text(right.key)) == 0 {
                return nil  // a duplicate key: the YAML parser reports it with its line
            }
        }
        return (entries, platformLists)
    }

    /// `  <key>:` with a key that YAML reads as exactly these characters: the characters of image
    /// references, starting with a letter or digit, with a `/` (so never null, a boolean or a number).
    private static func imageKey(_ line: Range<Int>, in file: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard line.count >= 4, file[line.lowerBound] == UInt8(ascii: " "), file[line.lowerBound + 1] == UInt8(ascii: " "),
              file[line.upperBound - 1] == UInt8(ascii: ":")
        else { return nil }
        let key = (line.lowerBound + 2)..<(line.upperBound - 1)
        guard key.count <= longestKey, isAlphanumeric(file[key.lowerBound]), file[key.upperBound - 1] != UInt8(ascii: ":") else { return nil }
        // Without early exits, so the compiler can check many bytes at a time.
        var outside: UInt8 = 0
        var slashes: UInt8 = 0
        for byte in UnsafeBufferPointer(rebasing: file[key]) {
            outside |= isReferenceByte(byte) ? 0 : 1
            slashes |= byte == UInt8(ascii: "/") ? 1 : 0
        }
        return outside == 0 && slashes != 0 ? key : nil
    }

    /// The rest of `line` after `prefix`, when the line starts with it.
    private static func value(_ line: Range<Int>, after prefix: [UInt8], in file: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard line.count > prefix.count, hasPrefix(prefix, at: line.lowerBound, in: file) else { return nil }
        return (line.lowerBound + prefix.count)..<line.upperBound
    }

    private static let sha256 = Array("sha256:".utf8)
    private static let sha512 = Array("sha512:".utf8)

    /// As `LockEntry.isValidDigest`, on bytes.
    private static func isDigest(_ text: Range<Int>, in file: UnsafeBufferPointer<UInt8>) -> Bool {
        switch text.count {
        case 7 + 64: guard hasPrefix(sha256, at: text.lowerBound, in: file) else { return false }
        case 7 + 128: guard hasPrefix(sha512, at: text.lowerBound, in: file) else { return false }
        default: return false
        }
        var outside: UInt8 = 0  // no early exit, so the compiler can check many bytes at a time
        for byte in UnsafeBufferPointer(rebasing: file[(text.lowerBound + 7)..<text.upperBound]) {
            outside |= (byte &- UInt8(ascii: "0") < 10 ? 0 : 1) & (byte &- UInt8(ascii: "a") < 6 ? 0 : 1)
        }
        return outside == 0
    }

    /// Whether `file` holds `prefix` at `position` (the caller has checked there is room).
    private static func hasPrefix(_ prefix: [UInt8], at position: Int, in file: UnsafeBufferPointer<UInt8>) -> Bool {
        prefix.withUnsafeBufferPointer { expected in
            guard let wanted = expected.baseAddress, let base = file.baseAddress else { return expected.isEmpty }
            return memcmp(base + position, wanted, expected.count) == 0
        }
    }

    /// `[]` or `[a, b, …]` with canonical platform names (as `Platform.description` writes them), parsed
    /// and normalised as `LockEntry` does.
    private static func platformList(_ text: Slice<UnsafeBufferPointer<UInt8>>) -> [Platform]? {
        guard text.first == UInt8(ascii: "["), text.last == UInt8(ascii: "]") else { return nil }
        let inner = text.dropFirst().dropLast()
        if inner.isEmpty { return [] }
        var platforms: [Platform] = []
        var start = inner.startIndex
        while true {
            var end = start
            while end < inner.endIndex, inner[end] != UInt8(ascii: ",") { end += 1 }
            let item = inner[start..<end]
            guard let first = item.first, isAlphanumeric(first), item.allSatisfy(isPlatformByte) else { return nil }
            let name = String(decoding: UnsafeBufferPointer(rebasing: item), as: UTF8.self)
            guard let platform = Platform(parsing: name), platform.description == name else { return nil }
            platforms.append(platform)
            if end == inner.endIndex { break }
            // Items are separated by exactly ", ", as the renderer writes them.
            guard end + 1 < inner.endIndex, inner[end + 1] == UInt8(ascii: " ") else { return nil }
            start = end + 2
        }
        return LockEntry(digest: "", platforms: platforms).platforms
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Letters, digits and `._-/:@`, as branch-free range checks for the loop above (`-./0–9:` are
    /// the bytes 0x2D–0x3A; `| 0x20` folds A–Z onto a–z).
    private static func isReferenceByte(_ byte: UInt8) -> Bool {
        let ranges: UInt8 = (byte &- UInt8(ascii: "-") < 14 ? 1 : 0) | ((byte | 0x20) &- UInt8(ascii: "a") < 26 ? 1 : 0)
        return ranges | (byte == UInt8(ascii: "@") ? 1 : 0) | (byte == UInt8(ascii: "_") ? 1 : 0) != 0
    }

    /// Lowercase only: `Platform` lowercases what it parses, so anything else is not canonical anyway.
    private static func isPlatformByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
    }

    /// Printable ASCII and tab: libyaml rejects control characters and invalid UTF-8 even in comments.
    private static func isCommentByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (0x20...0x7E).contains(byte)
    }

    /// Byte-wise order, as `Lockfile.bytewiseLess`: negative, zero or positive.
    private static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(lhs.count, rhs.count)
        if common > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
            let order = memcmp(left, right, common)
            if order != 0 { return Int(order) }
        }
        return lhs.count - rhs.count
    }
}

/// The lines of a file that ends with a line break, without their breaks (memchr: the file is large).
private struct LineCursor {
    let file: UnsafeBufferPointer<UInt8>
    var position = 0

    mutating func next() -> Range<Int>? {
        guard position < file.count, let base = file.baseAddress,
              let found = memchr(base + position, Int32(UInt8(ascii: "\n")), file.count - position)
        else { return nil }
        let end = UnsafeRawPointer(found) - UnsafeRawPointer(base)
        defer { position = end + 1 }
        return position..<end
    }
}

/// Bytes of the file being scanned, hashed and compared by content; only valid during the scan.
private struct ByteKey: Hashable {
    let bytes: UnsafeBufferPointer<UInt8>

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool {
        guard lhs.bytes.count == rhs.bytes.count else { return false }
        guard let left = lhs.bytes.baseAddress, let right = rhs.bytes.baseAddress else { return true }
        return memcmp(left, right, lhs.bytes.count) == 0
    }

    func hash(into hasher: inout Hasher) { hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
}
