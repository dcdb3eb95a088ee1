import KubearchCore
import KubearchReporters

/// The workload rows of a JSON report, kept as compact bytes until the findings are written: they
/// follow the findings in the document, so they are the one part of it that must wait for the end
/// of the run. As values a row was about 800 bytes of heap (strings, arrays, growth slack); encoded
/// it is its text plus a few length bytes, in chunks that never need copying to grow.
struct WorkloadRowStore {
    /// Small enough that a few chunks rendered as JSON at once stay a small part of the run's peak.
    private static let chunkSize = 1 << 15
    private var chunks: [[UInt8]] = []
    private var rowCounts: [Int] = []
    /// The file of the last group in the current chunk: the next group stores only what differs.
    private var lastFile: [UInt8] = []

    /// Rows as groups of one file each: the row count, the path, the rows' byte count, then each row
    /// without the path (they share it).
    static func encode(_ rows: [WorkloadReport], into bytes: inout [UInt8]) {
        var start = 0
        while start < rows.count {
            var end = start + 1
            while end < rows.count, rows[end].file == rows[start].file { end += 1 }
            var encoded: [UInt8] = []
            for row in rows[start..<end] { RowEncoder.encode(row, into: &encoded) }
            RowEncoder.int(end - start, &bytes)
            RowEncoder.literal(rows[start].file, &bytes)
            RowEncoder.int(encoded.count, &bytes)
            bytes += encoded
            start = end
        }
    }

    /// Groups from `encode(_:into:)` (a worker encodes the rows of the file it judged). Each path
    /// is stored as the length it shares with the previous group's path and the rest: files come
    /// in walk order, so neighbours share most of their path.
    mutating func append(encoded groups: [UInt8]) {
        var reader = RowDecoder(bytes: groups, offset: 0)
        while reader.offset < groups.count {
            let groupStart = reader.offset
            let rows = reader.int()
            let file = reader.literalBytes()
            let rowsEnd = reader.int() + reader.offset
            let rowsStart = reader.offset
            reader.offset = rowsEnd
            if chunks.isEmpty || chunks[chunks.count - 1].count + (reader.offset - groupStart) > Self.chunkSize {
                var chunk: [UInt8] = []
                chunk.reserveCapacity(Swift.max(Self.chunkSize, reader.offset - groupStart + 16))
                chunks.append(chunk)
                rowCounts.append(0)
                lastFile = []
            }
            var shared = 0
            while shared < file.count, shared < lastFile.count, file[file.startIndex + shared] == lastFile[shared] { shared += 1 }
            RowEncoder.int(rows, &chunks[chunks.count - 1])
            RowEncoder.int(shared, &chunks[chunks.count - 1])
            RowEncoder.int(file.count - shared, &chunks[chunks.count - 1])
            chunks[chunks.count - 1].append(contentsOf: file.dropFirst(shared))
            chunks[chunks.count - 1].append(contentsOf: groups[rowsStart..<rowsEnd])
            rowCounts[rowCounts.count - 1] += rows
            lastFile = Array(file)
        }
    }

    /// The rows, chunk by chunk, each decoded only when read.
    var parts: [WorkloadRowParts.Part] {
        zip(chunks, rowCounts).map { WorkloadRowParts.Part(count: $1, rows: EncodedRows(bytes: $0)) }
    }
}

/// The rows of one chunk, decoded as they are read.
private struct EncodedRows: Sequence, Sendable {
    let bytes: [UInt8]

    func makeIterator() -> AnyIterator<WorkloadReport> {
        var decoder = RowDecoder(bytes: bytes, offset: 0)
        var file: [UInt8] = []
        var fileText = ""
        var left = 0
        return AnyIterator {
            if left == 0 {
                guard decoder.offset < decoder.bytes.count else { return nil }
                left = decoder.int()
                let shared = decoder.int()
                file = Array(file.prefix(shared)) + decoder.literalBytes()  // the rest, behind its length
                fileText = String(decoding: file, as: UTF8.self)
            }
            left -= 1
            return decoder.row(file: fileText)
        }
    }
}

/// Lengths and counts as LEB128 varints, optionals behind a byte. Strings that rows repeat
/// thousands of times (kinds, API versions, pod spec paths, platforms, architectures) are stored as
/// their index in `common`; an image's canonical reference, when it is the reference as written,
/// as a flag. A 20,000-row store was 6 MB, a quarter of a JSON run's peak.
private enum RowEncoder {
    static let common = [
        "apps/v1", "batch/v1", "v1", "batch/v1beta1", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod",
        "ReplicaSet", "ReplicationController", "spec.template.spec", "spec.jobTemplate.spec.template.spec", "spec",
        "linux/amd64", "linux/arm64", "linux/arm64/v8", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le",
        "linux/s390x", "linux/riscv64", "windows/amd64", "amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64",
        "default", "app", "main",
    ]
    static let commonIndex = Dictionary(uniqueKeysWithValues: common.enumerated().map { ($1, $0) })

    static func encode(_ row: WorkloadReport, into bytes: inout [UInt8]) {
        int(row.line, &bytes)
        optional(row.object.apiVersion, &bytes)
        optional(row.object.kind, &bytes)
        optional(row.object.namespace, &bytes)
        optional(row.object.name, &bytes)
        string(row.podSpecPath, &bytes)
        int(row.images.count, &bytes)
        for image in row.images {
            optional(image.container, &bytes)
            string(image.reference, &bytes)
            if image.canonical == image.reference {
                bytes.append(2)
            } else {
                optional(image.canonical, &bytes)
            }
            strings(image.platforms, &bytes)
            bytes.append(image.isInitContainer ? 1 : 0)
            optional(image.source?.file, &bytes)
            int(image.source?.line ?? 0, &bytes)
        }
        strings(row.supported, &bytes)
        strings(row.allowed, &bytes)
        optional(row.kustomization, &bytes)
    }

    static func int(_ value: Int, _ bytes: inout [UInt8]) {
        var value = UInt64(bitPattern: Int64(value))
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// The bytes behind their length, never from `common`.
    static func literal(_ value: String, _ bytes: inout [UInt8]) {
        int(value.utf8.count, &bytes)
        bytes.append(contentsOf: value.utf8)
    }

    /// An index of `common`, or the count of `common` plus the length, then the bytes.
    static func string(_ value: String, _ bytes: inout [UInt8]) {
        if let index = commonIndex[value] { return int(index, &bytes) }
        int(common.count + value.utf8.count, &bytes)
        bytes.append(contentsOf: value.utf8)
    }

    static func optional(_ value: String?, _ bytes: inout [UInt8]) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        string(value, &bytes)
    }

    static func strings(_ values: [String]?, _ bytes: inout [UInt8]) {
        guard let values else { return bytes.append(0) }
        bytes.append(1)
        int(values.count, &bytes)
        for value in values { string(value, &bytes) }
    }
}

/// Reads back what `RowEncoder` wrote (only ever its own bytes, so no input can be malformed).
private struct RowDecoder {
    let bytes: [UInt8]
    var offset: Int

    mutating func row(file: String) -> WorkloadReport {
        let line = int()
        let object = ObjectIdentity(apiVersion: optional(), kind: optional(), namespace: optional(), name: optional())
        let podSpecPath = string()
        var images: [ImageReport] = []
        for _ in 0..<int() {
            let container = optional()
            let reference = string()
            let canonicalTag = byte()
            let canonical: String? = canonicalTag == 2 ? reference : canonicalTag == 0 ? nil : string()
            var image = ImageReport(container: container, reference: reference, canonical: canonical, platforms: strings())
            image.isInitContainer = byte() == 1
            let sourceFile = optional()
            let sourceLine = int()
            image.source = sourceFile.map { ($0, sourceLine) }
            images.append(image)
        }
        var row = WorkloadReport(file: file, line: line, object: object, podSpecPath: podSpecPath, images: images, supported: strings(), allowed: strings())
        row.kustomization = optional()
        return row
    }

    mutating func byte() -> UInt8 {
        offset += 1
        return bytes[offset - 1]
    }

    mutating func int() -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = byte()
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return Int(Int64(bitPattern: value)) }
            shift += 7
        }
    }

    mutating func literalBytes() -> ArraySlice<UInt8> {
        let count = int()
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func string() -> String {
        let code = int()
        if code < RowEncoder.common.count { return RowEncoder.common[code] }
        let count = code - RowEncoder.common.count
        defer { offset += count }
        return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
    }

    mutating func optional() -> String? {
        byte() == 0 ? nil : string()
    }

    mutating func strings() -> [String]? {
        guard byte() == 1 else { return nil }
        return (0..<int()).map { _ in string() }
    }
}
