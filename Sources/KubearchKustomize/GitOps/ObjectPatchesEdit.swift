import KubearchCore

/// Writes kubearch's managed patches into a GitOps object's own patch list by a text edit (SPEC
/// §11): Flux `spec.patches`, Argo CD `source.kustomize.patches`. Earlier managed entries (the tail
/// of the list, as `fix` appends them) are replaced; everything else in the file keeps its bytes.
enum ObjectPatchesEdit {
    enum Failure: Error, CustomStringConvertible {
        case unsupported(String)
        var description: String { if case .unsupported(let text) = self { text } else { "" } }
    }

    /// One list item, at indentation 0: the patch inline under the managed marker, and its target.
    static func entry(patch: ResourceNode, kind: String, name: String, namespace: String?) -> String {
        let body = ManagedPatches.inlineMarker + "\n" + PatchFileText.block(patch, indent: 0)
        var text = "- patch: |\n" + body.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 + "\n" }.joined()
        text += "  target:\n    kind: \(PatchFileText.quotedIfNeeded(kind))\n    name: \(PatchFileText.quotedIfNeeded(PatchesListEdit.Entry.exactPattern(name)))\n"
        if let namespace { text += "    namespace: \(PatchFileText.quotedIfNeeded(PatchesListEdit.Entry.exactPattern(namespace)))\n" }
        return text
    }

    /// `bytes` with `entries` as the managed tail of the patch list of the object whose path field
    /// starts at `pathPosition`.
    static func apply(_ entries: [String], toObjectAt pathPosition: SourcePosition, controller: GitOpsOverrides.Controller, in bytes: [UInt8], file: String) throws(Failure) -> [UInt8] {
        let stream = YAMLParser.parse(bytes)
        guard stream.error == nil, let parent = stream.documents.lazy.compactMap({ mapping(holdingPathAt: pathPosition, in: $0.root) }).first else {
            throw .unsupported("\(file): cannot find the object's `path` to add kubearch's patches beside it")
        }
        guard parent.collectionStyle == .block else { throw .unsupported("\(file):\(parent.start): a flow mapping kubearch does not add patches to") }
        let newline = bytes.contains(UInt8(ascii: "\r")) ? "\r\n" : "\n"
        func indented(_ indent: Int) -> String {
            let pad = String(repeating: " ", count: indent)
            let text = entries.map { $0.split(separator: "\n").map { pad + $0 + "\n" }.joined() }.joined()
            return newline == "\n" ? text : text.replacing("\n", with: newline)
        }
        let keyIndent = (parent.pairs?.first?.key.start.column ?? 1) - 1
        // Argo CD's patches live under the source's `kustomize:`.
        var holder = parent
        var missing: [String] = []
        if controller == .argoCD {
            if let kustomize = parent["kustomize"], kustomize.isMapping, kustomize.collectionStyle == .block, kustomize.pairs?.isEmpty == false {
                holder = kustomize
            } else if parent["kustomize"] == nil {
                missing = ["kustomize"]
            } else {
                throw .unsupported("\(file):\(parent.start): `kustomize` is not a block mapping kubearch can add to")
            }
        }
        guard let list = missing.isEmpty ? holder.pair(forKey: "patches") : nil else {
            // New keys after the holder's last line.
            let insertion = BlockListText.lineEnd(after: BlockListText.lastScalarEnd(holder), in: bytes)
            let indent = missing.isEmpty ? (holder.pairs?.first?.key.start.column ?? 1) - 1 : keyIndent
            var text = insertion == bytes.count && bytes.last != UInt8(ascii: "\n") ? newline : ""
            var level = indent
            for key in missing + ["patches"] {
                text += String(repeating: " ", count: level) + key + ":" + newline
                if key != "patches" { level += 2 }
            }
            return Array(bytes[..<insertion]) + Array((text + indented(level)).utf8) + Array(bytes[insertion...])
        }
        guard case .sequence(let items, .block) = list.value.content, let first = items.first else {
            throw .unsupported("\(file):\(list.value.start): `patches` is not a block list kubearch can add to")
        }
        let isManaged = { (item: YAMLNode) in item["patch"]?.scalar?.hasPrefix(ManagedPatches.inlineMarker) == true }
        let firstManaged = items.firstIndex(where: isManaged)
        if let firstManaged, !items[firstManaged...].allSatisfy(isManaged) {
            throw .unsupported("\(file):\(items[firstManaged].start): kubearch's patches are not at the end of `patches`; move them there")
        }
        let indent = BlockListText.dashColumn(of: first, in: bytes)
        let start = firstManaged.map { BlockListText.lineStart(of: items[$0].start.offset, in: bytes) } ?? BlockListText.lineEnd(after: BlockListText.lastScalarEnd(items[items.count - 1]), in: bytes)
        let end = BlockListText.lineEnd(after: BlockListText.lastScalarEnd(items[items.count - 1]), in: bytes)
        var text = start == bytes.count && bytes.last != UInt8(ascii: "\n") ? newline : ""
        text += indented(indent)
        return Array(bytes[..<start]) + Array(text.utf8) + Array(bytes[end...])
    }

    /// The mapping whose `path` value starts at `position`.
    private static func mapping(holdingPathAt position: SourcePosition, in node: YAMLNode) -> YAMLNode? {
        switch node.content {
        case .mapping(let pairs, _):
            if let path = node.pair(forKey: "path"), path.value.start.offset == position.offset { return node }
            return pairs.lazy.compactMap { mapping(holdingPathAt: position, in: $0.value) }.first
        case .sequence(let items, _): return items.lazy.compactMap { mapping(holdingPathAt: position, in: $0) }.first
        default: return nil
        }
    }
}
