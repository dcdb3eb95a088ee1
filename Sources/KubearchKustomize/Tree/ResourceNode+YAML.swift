import KubearchCore

extension ResourceNode {
    /// Converts a parsed document node: aliases are followed and `<<` merge keys applied (explicit
    /// keys win), which is how kustomize's YAML reader sees the document.
    ///
    /// `managedFile` marks every mapping as written by kubearch (its own patch files); otherwise a
    /// mapping is managed when the text after it carries `# managed by kubearch`.
    public init(_ node: YAMLNode, file: String, source: [UInt8], managedFile: Bool = false) {
        self = Self.convert(node, file: file, source: source, managedFile: managedFile, depth: 0)
    }

    private static func convert(_ node: YAMLNode, file: String, source: [UInt8], managedFile: Bool, depth: Int) -> ResourceNode {
        let resolved = node.resolved
        let origin = Origin(file: file, position: resolved.start)
        // Aliases can make a small text stand for a huge tree; the parser bounds nesting, and this
        // bound keeps a hostile alias chain from expanding without end.
        guard depth < YAMLParser.maximumDepth else { return ResourceNode(.scalar("", quoted: false), origin: origin) }
        switch resolved.content {
        case .scalar(let text, let style):
            let quoted = style != .plain || (resolved.tag.map { $0.hasSuffix(":str") || $0 == "!!str" } ?? false)
            return ResourceNode(.scalar(text, quoted: quoted), origin: origin)
        case .sequence(let items, _):
            let converted = items.map { item -> ResourceNode in
                var child = convert(item, file: file, source: source, managedFile: managedFile, depth: depth + 1)
                if child.pairs != nil, !child.isManaged { child.isManaged = managedFile || ManagedMarker.isManaged(item.resolved, in: source) }
                return child
            }
            return ResourceNode(.sequence(converted), origin: origin)
        case .mapping(let pairs, _):
            var result: [(key: String, value: ResourceNode)] = []
            var merged: [(key: String, value: ResourceNode)] = []
            for pair in pairs {
                if case .scalar("<<", .plain) = pair.key.content {
                    let value = pair.value.resolved
                    let sources = value.isMapping ? [value] : (value.sequence ?? []).filter(\.isMapping)
                    for source_ in sources {
                        let sourceNode = convert(source_, file: file, source: source, managedFile: managedFile, depth: depth + 1)
                        for item in sourceNode.pairs ?? [] where !merged.contains(where: { $0.key == item.key }) {
                            merged.append(item)
                        }
                    }
                    continue
                }
                let key = pair.key.scalar ?? ""
                guard !result.contains(where: { $0.key == key }) else { continue }  // the first value wins, as the scanner reads it
                result.append((key, convert(pair.value, file: file, source: source, managedFile: managedFile, depth: depth + 1)))
            }
            for item in merged where !result.contains(where: { $0.key == item.key }) { result.append(item) }
            return ResourceNode(.mapping(result), origin: origin, isManaged: managedFile)
        case .alias:
            return ResourceNode(.scalar("", quoted: false), origin: origin)
        }
    }
}
