import KubearchCore

/// Where a piece of a rendered object was written: the file and position of the text that decided it
/// (a base document, an overlay's patch, an `images:` entry). Provenance is what lets findings point at
/// the line to change and `fix` choose the document to edit.
public struct Origin: Sendable, Hashable {
    /// Display path of the file, relative to the current folder like every reported path.
    public var file: String
    public var position: SourcePosition

    public init(file: String, position: SourcePosition) {
        self.file = file
        self.position = position
    }
}
