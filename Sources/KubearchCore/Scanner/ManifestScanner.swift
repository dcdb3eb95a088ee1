/// Finds workloads and their images in the text of one manifest file (SPEC §3).
public enum ManifestScanner {
    /// Kinds whose pod template lives at `spec.template.spec` even before it has containers.
    static let templatedKinds: Set<String> = [
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController",
    ]

    /// How much of a file's tree to build.
    public enum Detail: Sendable, Hashable {
        /// Every node: needed to edit the file (`fix`).
        case full
        /// Only what workloads, images and constraints are read from: the values of
        /// `irrelevantKeys` are not built. Findings are the same as with `.full`; node ranges of
        /// collections may end early, so never edit through a lean scan.
        case lean
        /// As `.lean`, but building the values of these keys too (`report` reads `resources` and
        /// `labels`; a full scan cost it 60 % more time than `check` on 20,000 files).
        case leanKeeping(Set<String>)
    }

    /// Keys whose values kubearch never reads (none is on a path to a pod spec, a container's
    /// `name`/`image`, `nodeSelector`, `affinity` or the object's identity and annotations).
    /// Skipping them is most of what makes `check` cheap on real manifests.
    public static let irrelevantKeys: Set<String> = [
        "env", "envFrom", "ports", "resources", "readinessProbe", "livenessProbe", "startupProbe",
        "volumeMounts", "volumeDevices", "volumes", "volumeClaimTemplates", "securityContext", "lifecycle",
        "args", "command", "labels", "data", "stringData", "binaryData", "status", "tolerations",
        "topologySpreadConstraints", "dnsConfig", "hostAliases", "strategy", "updateStrategy", "rules",
        "webhooks", "versions", "subjects", "roleRef", "selector", "podAffinity", "podAntiAffinity",
        "imagePullSecrets", "readinessGates", "schedulingGates", "resourceClaims", "overhead",
    ]

    private static let irrelevantKeySet = YAMLSkipSet(irrelevantKeys)

    public static func scan(path: String, bytes: [UInt8], detail: Detail = .full) -> ScannedFile {
        let stream: YAMLStream
        switch detail {
        case .full: stream = YAMLParser.parse(bytes)
        case .lean: stream = YAMLParser.parse(bytes, skippingValuesOf: irrelevantKeySet)
        case .leanKeeping(let kept): stream = YAMLParser.parse(bytes, skippingValuesOf: irrelevantKeys.subtracting(kept))
        }
        var file = ScannedFile(path: path, bytes: bytes, stream: stream, workloads: [], findings: [], isTemplate: false)
        var collector = Collector(path: path)
        for document in stream.documents {
            collector.visit(document.root, documentIndex: document.index, itemPath: [])
        }
        for duplicate in stream.duplicateKeys {
            collector.findings.append(Finding(
                rule: .invalidManifest, file: path, line: duplicate.position.line, column: duplicate.position.column,
                message: "duplicate key `\(duplicate.key)` (first at \(duplicate.firstPosition)); Kubernetes rejects the object"))
        }
        // A file with template markers that is not a valid manifest is a template. That covers files
        // that are not YAML at all and also `image: {{ .Values.image }}`, which libyaml happily reads
        // as a nested flow mapping. Nothing in such a file can be trusted, so nothing is scanned.
        if stream.error != nil || !collector.findings.isEmpty, let marker = templateMarker(in: bytes) {
            file.isTemplate = true
            file.findings = [Finding(
                rule: .templateSkipped, file: path, line: marker.line, column: marker.column,
                message: "template file (found '\(marker.text)') is not a valid manifest and was skipped; scan its rendered output instead")]
            return file
        }
        file.workloads = collector.workloads
        file.findings = collector.findings
        if let error = stream.error {
            file.findings.append(Finding(
                rule: .invalidManifest, file: path, line: error.position.line, column: error.position.column,
                message: "invalid YAML: \(error.message)"))
        }
        return file
    }

    /// The first `{{` or `{%` in the file, with its 1-based line and column.
    static func templateMarker(in bytes: [UInt8]) -> (text: String, line: Int, column: Int)? {
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{"), index + 1 < bytes.count {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "{") { return ("{{", line, column) }
                if next == UInt8(ascii: "%") { return ("{%", line, column) }
            }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
            index += 1
        }
        return nil
    }
}

/// Walks documents (and `List` items) collecting workloads and type errors.
private struct Collector {
    let path: String
    var workloads: [Workload] = []
    var findings: [Finding] = []

    /// Visits a document's root and, through `kind: List` items, every object in it, in order.
    ///
    /// Each object is visited once even when aliases list it many times: Lists whose items are
    /// aliases of Lists whose items are aliases (a "billion laughs") would otherwise expand
    /// exponentially. A worklist rather than recursion, since alias chains can be long.
    mutating func visit(_ root: YAMLNode, documentIndex: Int, itemPath rootPath: [Int]) {
        var pending: [(node: YAMLNode, itemPath: [Int])] = [(root, rootPath)]
        var visited: Set<Int> = []
        while let (node, itemPath) = pending.popLast() {
            let object = node.resolved
            guard visited.insert(object.start.offset).inserted else { continue }
            let kind = object["kind"]?.scalar
            if let kind, kind == "List" || kind.hasSuffix("List"), let items = object["items"]?.sequence {
                pending += items.enumerated().reversed().map { ($0.element, itemPath + [$0.offset]) }
            } else {
                visitObject(object, kind: kind, documentIndex: documentIndex, itemPath: itemPath)
            }
        }
    }

    private mutating func visitObject(_ object: YAMLNode, kind: String?, documentIndex: Int, itemPath: [Int]) {
        guard object.isMapping else { return }
        guard let podSpecPath = Self.podSpecPath(of: object, kind: kind),
              let podSpec = object.value(at: podSpecPath)
        else { return }
        let identity = Self.identity(of: object)
        guard podSpec.isMapping else {
            report(podSpec, identity, "`\(podSpecPath.joined(separator: "."))` must be a mapping")
            return
        }
        var images: [ContainerImage] = []
        for field in ["initContainers", "containers"] {
            images += collectImages(podSpec, field: field, path: podSpecPath, identity: identity)
        }
        // Report init containers after the main ones only by position: keep source order.
        images.sort { $0.node.start.offset < $1.node.start.offset }
        workloads.append(Workload(
            file: path, documentIndex: documentIndex, itemPath: itemPath, object: identity, objectNode: object,
            kindPosition: object.pair(forKey: "kind")?.key.start ?? object.start,
            podSpecPath: podSpecPath, podSpec: podSpec, images: images,
            annotations: Self.annotations(of: object)))
    }

    private mutating func collectImages(_ podSpec: YAMLNode, field: String, path: [String], identity: ObjectIdentity) -> [ContainerImage] {
        guard let list = podSpec[field], !list.isNull else { return [] }
        // Only messages need the dotted path: build it only for them.
        var location: String { (path + [field]).joined(separator: ".") }
        guard let containers = list.sequence else {
            report(list, identity, "`\(location)` must be a list, found \(Self.describe(list))")
            return []
        }
        var images: [ContainerImage] = []
        for container in containers {
            guard container.isMapping else {
                report(container, identity, "each entry of `\(location)` must be a mapping, found \(Self.describe(container))")
                continue
            }
            guard let image = container["image"], !image.isNull else { continue }
            guard let reference = image.scalar, !Self.isNonString(image, value: reference) else {
                report(image, identity, "`image` in `\(location)` must be a string, found \(Self.describe(image))")
                continue
            }
            images.append(ContainerImage(
                container: container["name"]?.scalar, reference: reference, isInitContainer: field == "initContainers", node: image,
                parsedReference: ImageReferenceCache.parse(reference)))
        }
        return images
    }

    private mutating func report(_ node: YAMLNode, _ identity: ObjectIdentity, _ message: String) {
        findings.append(Finding(
            rule: .invalidManifest, file: path, line: node.start.line, column: node.start.column,
            object: identity, message: message))
    }

    static func podSpecPath(of object: YAMLNode, kind: String?) -> [String]? {
        switch kind {
        case "Pod": return PodSpecPath.pod.keys
        case "CronJob": return PodSpecPath.cronJob.keys
        case "PodTemplate": return PodSpecPath.podTemplate.keys
        case let kind? where ManifestScanner.templatedKinds.contains(kind): return PodSpecPath.template.keys
        default:
            let path = PodSpecPath.template.keys
            return object.value(at: path + ["containers"]) != nil ? path : nil
        }
    }

    static func identity(of object: YAMLNode) -> ObjectIdentity {
        let metadata = object["metadata"]
        return ObjectIdentity(
            apiVersion: object["apiVersion"]?.scalar, kind: object["kind"]?.scalar,
            namespace: metadata?["namespace"]?.scalar, name: metadata?["name"]?.scalar)
    }

    static func annotations(of object: YAMLNode) -> [String: String] {
        var result: [String: String] = [:]
        for pair in object.value(at: ["metadata", "annotations"])?.pairs ?? [] {
            if let key = pair.key.scalar, let value = pair.value.scalar { result[key] = value }
        }
        return result
    }

    /// A plain scalar that YAML reads as a number or boolean, where Kubernetes needs a string.
    static func isNonString(_ node: YAMLNode) -> Bool {
        guard let value = node.scalar else { return false }
        return isNonString(node, value: value)
    }

    /// As `isNonString(_:)` for a scalar whose text the caller has already read.
    static func isNonString(_ node: YAMLNode, value: String) -> Bool {
        let resolved = node.resolved
        guard resolved.scalarStyle == .plain, resolved.tag == nil else { return false }
        // Image references start with a letter or digit; only these first bytes can begin a number
        // or a YAML 1.1 boolean, so most values are settled without parsing.
        guard let first = value.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first)
            || [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"),
                UInt8(ascii: "F"), UInt8(ascii: "y"), UInt8(ascii: "n"), UInt8(ascii: "o")].contains(first)
        else { return false }
        if ["true", "false", "True", "False", "TRUE", "FALSE", "yes", "no", "on", "off"].contains(value) { return true }
        return Int(value) != nil || (Double(value) != nil && value.first.map { $0.isNumber || $0 == "-" || $0 == "." } == true)
    }

    static func describe(_ node: YAMLNode) -> String {
        switch node.resolved.content {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let value, _): isNonString(node) ? "the non-string value `\(value)`" : "`\(value)`"
        case .alias: "an alias"
        }
    }
}
