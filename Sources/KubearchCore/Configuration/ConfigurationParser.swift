import FoundationEssentials

/// Builds a `Configuration` from the YAML model, so every problem can name its line and column.
enum ConfigurationParser {
    static let topLevelKeys = ["version", "cluster", "policy", "rules", "exclude", "kustomize", "gitops", "registries"]
    static let kustomizeKeys = ["roots"]
    static let gitOpsKeys = ["repository"]
    static let clusterKeys = ["architectures", "windowsArchitectures"]
    static let policyKeys = ["strategy", "preferredArchitecture"]
    static let registryKeys = ["mirrors", "mirror", "fallback", "insecure", "caFile"]

    static func parse(_ bytes: [UInt8], path: String) throws(FieldProblem) -> Configuration {
        let stream = YAMLParser.parse(bytes)
        if let error = stream.error {
            throw FieldProblem(position: error.position, message: error.message)
        }
        if stream.documents.count > 1 {
            throw FieldProblem(position: stream.documents[1].range.start, message: "the configuration must be a single YAML document")
        }
        let start = SourcePosition(offset: 0, line: 1, column: 1)
        guard let root = stream.documents.first?.root.resolved, !root.isNull else {
            throw FieldProblem(position: start, message: missingVersion)
        }
        guard root.isMapping else {
            throw FieldProblem(position: root.start, message: "the configuration must be a mapping of settings, found \(YAMLFieldReader.kind(of: root))")
        }

        var configuration = Configuration()
        var sawVersion = false
        for entry in try YAMLFieldReader.entries(of: root, at: .root, allowed: topLevelKeys) {
            switch entry.key {
            case "version":
                try checkVersion(entry)
                sawVersion = true
            case "cluster":
                try readCluster(entry, into: &configuration)
            case "policy":
                try readPolicy(entry, into: &configuration)
            case "rules":
                configuration.rules = try readRules(entry)
            case "exclude":
                configuration.exclude = try readExclude(entry)
            case "registries":
                configuration.registries = try readRegistries(entry, configurationPath: path)
            case "kustomize":
                for field in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: kustomizeKeys) {
                    let items = try YAMLFieldReader.sequence(field.value, at: field.path, expected: "a list of folders")
                    for (index, item) in items.enumerated() {
                        let folder = try YAMLFieldReader.string(item, at: field.path.index(index), expected: "a folder path")
                        guard !folder.isEmpty else { throw FieldProblem(position: item.start, message: "'\(field.path.index(index))' is an empty path") }
                        configuration.kustomizeRoots.append(resolve(folder, besideFile: path))
                    }
                }
            case "gitops":
                for field in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: gitOpsKeys) {
                    configuration.gitOpsRepository = try YAMLFieldReader.string(field.value, at: field.path, expected: "a git repository URL")
                }
            default:
                break  // `entries` already rejected unknown keys
            }
        }
        guard sawVersion else { throw FieldProblem(position: root.start, message: missingVersion) }
        return configuration
    }

    private static let missingVersion = "missing key 'version' (add 'version: \(Configuration.currentVersion)' at the top)"

    private static func checkVersion(_ entry: FieldEntry) throws(FieldProblem) {
        let version = try YAMLFieldReader.integer(entry.value, at: entry.path)
        guard version == Configuration.currentVersion else {
            throw FieldProblem(
                position: entry.value.start,
                message: "unsupported 'version' \(version) (this kubearch reads version \(Configuration.currentVersion))")
        }
    }

    private static func readCluster(_ entry: FieldEntry, into configuration: inout Configuration) throws(FieldProblem) {
        for field in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: clusterKeys) {
            let list = try architectureList(field)
            if field.key == "architectures" {
                configuration.architectures = list
            } else {
                configuration.windowsArchitectures = list
            }
        }
    }

    private static func architectureList(_ field: FieldEntry) throws(FieldProblem) -> [String] {
        let items = try YAMLFieldReader.sequence(field.value, at: field.path, expected: "a list of architectures like [amd64, arm64]")
        guard !items.isEmpty else {
            throw FieldProblem(position: field.value.start, message: "'\(field.path)' must name at least one architecture")
        }
        var names: [String] = []
        for (index, item) in items.enumerated() {
            let name = try architecture(item, at: field.path.index(index))
            guard !names.contains(name) else {
                throw FieldProblem(position: item.start, message: "'\(field.path.index(index))' repeats architecture '\(name)'")
            }
            names.append(name)
        }
        return names
    }

    private static func architecture(_ node: YAMLNode, at path: FieldPath) throws(FieldProblem) -> String {
        let name = try YAMLFieldReader.string(node, at: path, expected: "an architecture name")
        guard Configuration.isValidArchitectureName(name) else {
            throw FieldProblem(
                position: node.start,
                message: "'\(path)' is not an architecture name: '\(name)' (expected lowercase letters and digits, like amd64)")
        }
        return name
    }

    private static func readPolicy(_ entry: FieldEntry, into configuration: inout Configuration) throws(FieldProblem) {
        for field in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: policyKeys) {
            if field.key == "strategy" {
                configuration.strategy = try choice(field, of: Strategy.self)
            } else {
                configuration.preferredArchitecture = try architecture(field.value, at: field.path)
            }
        }
    }

    private static func choice<Choice: RawRepresentable & CaseIterable>(
        _ field: FieldEntry, of type: Choice.Type
    ) throws(FieldProblem) -> Choice where Choice.RawValue == String {
        let names = Choice.allCases.map(\.rawValue)
        let text = try YAMLFieldReader.string(field.value, at: field.path, expected: "one of \(names.joined(separator: ", "))")
        guard let value = Choice(rawValue: text) else {
            throw FieldProblem(
                position: field.value.start,
                message: "'\(field.path)' has unknown value '\(text)' (expected one of: \(names.joined(separator: ", ")))")
        }
        return value
    }

    private static func readRules(_ entry: FieldEntry) throws(FieldProblem) -> [RuleID: RuleSetting] {
        var rules: [RuleID: RuleSetting] = [:]
        for field in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: nil) {
            guard let rule = RuleID(rawValue: field.key) else {
                let known = RuleID.allCases.sorted().map(\.rawValue).joined(separator: ", ")
                throw FieldProblem(position: field.keyNode.start, message: "unknown rule '\(field.path)' (expected one of: \(known))")
            }
            rules[rule] = try choice(field, of: RuleSetting.self)
        }
        return rules
    }

    private static func readExclude(_ entry: FieldEntry) throws(FieldProblem) -> [Glob] {
        if entry.value.isNull { return [] }
        let items = try YAMLFieldReader.sequence(entry.value, at: entry.path, expected: "a list of path globs like [\"charts/**\"]")
        var globs: [Glob] = []
        for (index, item) in items.enumerated() {
            let pattern = try YAMLFieldReader.string(item, at: entry.path.index(index), expected: "a path glob")
            guard !pattern.isEmpty else {
                throw FieldProblem(position: item.start, message: "'\(entry.path.index(index))' is an empty pattern")
            }
            globs.append(Glob(pattern))
        }
        return globs
    }

    private static func readRegistries(_ entry: FieldEntry, configurationPath: String) throws(FieldProblem) -> [String: RegistrySettings] {
        var registries: [String: RegistrySettings] = [:]
        for host in try YAMLFieldReader.entries(of: entry.value, at: entry.path, allowed: nil) {
            guard isRegistryHost(host.key) else {
                throw FieldProblem(
                    position: host.keyNode.start,
                    message: "'\(host.path)' is not a registry host (expected host[:port], like registry.example.com:5000)")
            }
            var settings = RegistrySettings()
            var mirrorsField: FieldEntry?
            var fallbackField: FieldEntry?
            for field in try YAMLFieldReader.entries(of: host.value, at: host.path, allowed: registryKeys) {
                switch field.key {
                case "mirrors", "mirror":
                    if let earlier = mirrorsField {
                        throw FieldProblem(
                            position: field.keyNode.start,
                            message: "'\(field.path)' repeats '\(earlier.path)': give one list under 'mirrors' ('mirror: URL' is shorthand for a list of one)")
                    }
                    mirrorsField = field
                    settings.mirrors = try field.key == "mirror" ? [mirror(field.value, at: field.path)] : mirrorList(field)
                case "fallback":
                    settings.fallback = try YAMLFieldReader.bool(field.value, at: field.path)
                    fallbackField = field
                case "insecure":
                    settings.insecure = try YAMLFieldReader.bool(field.value, at: field.path)
                default:
                    let file = try YAMLFieldReader.string(field.value, at: field.path, expected: "a file path")
                    guard !file.isEmpty else {
                        throw FieldProblem(position: field.value.start, message: "'\(field.path)' is an empty path")
                    }
                    settings.caFile = resolve(file, besideFile: configurationPath)
                }
            }
            if let fallbackField, !settings.fallback, settings.mirrors.isEmpty {
                throw FieldProblem(
                    position: fallbackField.value.start,
                    message: "'\(fallbackField.path)' is false but no mirror is configured, so nothing could be asked (add 'mirrors:')")
            }
            registries[host.key] = settings
        }
        return registries
    }

    /// `host`, `host:port`, `[v6]:port`: no scheme, path, or spaces.
    private static func isRegistryHost(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("/") && !text.contains(where: \.isWhitespace)
    }

    private static func mirrorList(_ field: FieldEntry) throws(FieldProblem) -> [String] {
        let items = try YAMLFieldReader.sequence(field.value, at: field.path, expected: "a list of http or https URLs")
        var mirrors: [String] = []
        for (index, item) in items.enumerated() {
            let url = try mirror(item, at: field.path.index(index))
            guard !mirrors.contains(url) else {
                throw FieldProblem(position: item.start, message: "'\(field.path.index(index))' repeats mirror '\(url)'")
            }
            mirrors.append(url)
        }
        return mirrors
    }

    /// `http(s)://host[:port][/namespace]`, returned without a trailing slash. The path is a repository
    /// namespace, so it must read as one (`/v2` would be asked as the repository `v2/...`).
    private static func mirror(_ node: YAMLNode, at path: FieldPath) throws(FieldProblem) -> String {
        let example = "like https://mirror.example.com/namespace"
        let text = try YAMLFieldReader.string(node, at: path, expected: "an http or https URL \(example)")
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              let host = components.host, !host.isEmpty
        else {
            throw FieldProblem(position: node.start, message: "'\(path)' must be an http or https URL \(example), found '\(text)'")
        }
        guard scheme.lowercased() == "http" || scheme.lowercased() == "https" else {
            throw FieldProblem(
                position: node.start, message: "'\(path)' has scheme '\(scheme)': a mirror is an http or https URL \(example), found '\(text)'")
        }
        guard components.user == nil, components.password == nil else {
            // Not echoed: the text holds a credential.
            throw FieldProblem(
                position: node.start,
                message: "'\(path)' holds a user name or password: give credentials in the docker config (docker login), not in the URL")
        }
        guard components.query == nil, components.fragment == nil else {
            throw FieldProblem(
                position: node.start, message: "'\(path)' must be scheme://host[:port][/namespace], without query or fragment, found '\(text)'")
        }
        var namespace = Substring(components.percentEncodedPath)
        while namespace.hasSuffix("/") { namespace.removeLast() }
        if namespace.hasPrefix("/") { namespace.removeFirst() }
        if !namespace.isEmpty {
            if namespace == "v2" || namespace.hasPrefix("v2/") {
                throw FieldProblem(
                    position: node.start,
                    message: "'\(path)' has the path '/\(namespace)': a mirror's path is the repository namespace put before each repository (as in registries.conf), not an API path: leave out '/v2'")
            }
            guard ReferenceGrammar.isRepositoryPath(namespace) else {
                throw FieldProblem(
                    position: node.start,
                    message: "'\(path)' has the path '/\(namespace)', which is not a repository namespace (lowercase letters and digits, separated by '/', '.', '_' or '-')")
            }
        }
        var url = text
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// A relative path in the configuration means "relative to the configuration file".
    static func resolve(_ file: String, besideFile configurationPath: String) -> String {
        if file.hasPrefix("/") { return file }
        let folder = PathText.deletingLastComponent(configurationPath)
        if folder.isEmpty { return file }
        return PathText.appending(to: folder, file)
    }
}
