import KubearchCore
import KubearchReporters

/// The workload rows of a JSON report, kept as compact bytes until the findings are written: they
/// follow the findings in the document, so they are the one part of it that must wait for the end
/// of the run. As values a row was about 800 bytes of heap (strings, arrays, growth slack); encoded
/// it is its text plus a few length bytes, in chunks that never need copying to grow.
struct WorkloadRowStore {
    /// Small enough that a few chunks rendered as JSON at once stay a small part of the run's peak.
    private static let chunkSize = 1 << 17
    private var chunks: [[UInt8]] = []
    private var rowCounts: [Int] = []
    private var scratch: [UInt8] = []

    mutating func append(_ row: WorkloadReport) {
        scratch.removeAll(keepingCapacity: true)
        RowEncoder.encode(row, into: &scratch)
        append(encoded: scratch, rows: 1)
    }

    mutating func append(contentsOf rows: [WorkloadReport]) {
        for row in rows { append(row) }
    }

    /// `rows` rows encoded elsewhere with `encode(_:into:)` (a worker encodes the rows of the file
    /// it judged).
    mutating func append(encoded bytes: [UInt8], rows: Int) {
        guard !bytes.isEmpty else { return }
        if chunks.isEmpty || chunks[chunks.count - 1].count + bytes.count > Self.chunkSize {
            var chunk: [UInt8] = []
            chunk.reserveCapacity(Swift.max(Self.chunkSize, bytes.count))
            chunks.append(chunk)
            rowCounts.append(0)
        }
        chunks[chunks.count - 1].append(contentsOf: bytes)
        rowCounts[rowCounts.count - 1] += rows
    }

    static func encode(_ row: WorkloadReport, into bytes: inout [UInt8]) {
        RowEncoder.encode(row, into: &bytes)
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
        var offset = 0
        let bytes = bytes
        return AnyIterator {
            guard offset < bytes.count else { return nil }
            var decoder = RowDecoder(bytes: bytes, offset: offset)
            let row = decoder.row()
            offset = decoder.offset
            return row
        }
    }
}

/// Lengths and counts as LEB128 varints, optionals behind a 0/1 byte.
private enum RowEncoder {
    static func encode(_ row: WorkloadReport, into bytes: inout [UInt8]) {
        string(row.file, &bytes)
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
            optional(image.canonical, &bytes)
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

    static func string(_ value: String, _ bytes: inout [UInt8]) {
        int(value.utf8.count, &bytes)
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

    mutating func row() -> WorkloadReport {
        let file = string()
        let line = int()
        let object = ObjectIdentity(apiVersion: optional(), kind: optional(), namespace: optional(), name: optional())
        let podSpecPath = string()
        var images: [ImageReport] = []
        for _ in 0..<int() {
            var image = ImageReport(container: optional(), reference: string(), canonical: optional(), platforms: strings())
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

    mutating func string() -> String {
        let count = int()
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
