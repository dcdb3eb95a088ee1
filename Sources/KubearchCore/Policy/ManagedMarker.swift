/// How `fix` marks the constraints it writes, so that later runs can tell them from a user's.
///
/// The marker is a comment after the expression's last byte on the same line, with only flow
/// punctuation (`]`, `}`, `,`) and blanks in between:
/// `  values: [amd64, arm64] # managed by kubearch`. JSON has no comments, so there every
/// constraint counts as the user's.
public enum ManagedMarker {
    public static let comment = "# managed by kubearch"

    /// Whether the expression node (spanning `node.range` in `source`) carries the marker.
    public static func isManaged(_ node: YAMLNode, in source: [UInt8]) -> Bool {
        var index = node.range.end.offset
        let marker = Array(comment.utf8)
        while index < source.count {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "#"):
                return source[index...].starts(with: marker)
            default:
                return false  // a line break or more content: no marker for this node
            }
        }
        return false
    }
}
