import CYAML

/// libyaml's parser over bytes, one event at a time. The bytes must outlive the reader.
final class YAMLEventReader {
    // libyaml keeps pointers into the parser struct: it needs a stable heap address.
    private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    private let initialized: Bool
    nonisolated(unsafe) private static let empty: UnsafeMutablePointer<UInt8> = .allocate(capacity: 1)

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        initialized = yaml_parser_initialize(parser) != 0
        guard initialized else { return }
        // Empty input still needs a valid pointer; libyaml reads none of it.
        yaml_parser_set_input_string(parser, bytes.baseAddress ?? UnsafePointer(Self.empty), bytes.count)
    }

    deinit {
        if initialized { yaml_parser_delete(parser) }
        parser.deallocate()
    }

    /// False when libyaml could not allocate a parser; `next` then fails at once.
    var isReady: Bool { initialized }

    /// The next event into `event` (which the caller deletes with `yaml_event_delete`); false on a
    /// syntax error, described by `state`.
    func next(_ event: inout yaml_event_t) -> Bool {
        initialized && yaml_parser_parse(parser, &event) != 0
    }

    /// The parser, for its error fields after `next` failed.
    var state: yaml_parser_t { parser.pointee }
}

extension yaml_event_t {
    /// The anchor a scalar or a collection start defines, if any.
    var anchor: UnsafeMutablePointer<yaml_char_t>? {
        switch type {
        case YAML_SCALAR_EVENT: data.scalar.anchor
        case YAML_SEQUENCE_START_EVENT: data.sequence_start.anchor
        case YAML_MAPPING_START_EVENT: data.mapping_start.anchor
        default: nil
        }
    }

    /// A scalar event's value bytes (libyaml gives a null pointer for none).
    var scalarBytes: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: data.scalar.value, count: data.scalar.value == nil ? 0 : data.scalar.length)
    }
}
