import Testing
@testable import KubearchCore

@Suite("Configuration errors")
struct ConfigurationErrorTests {
    private static func error(_ text: String) -> String? {
        do {
            _ = try Configuration.parse(bytes: Array(text.utf8), path: ".kubearch.yaml")
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        // Unknown keys, at every level.
        ("version: 1\ncluster:\n  architectures: [amd64]\nclustr: {}\n",
         ".kubearch.yaml:4:1: unknown key 'clustr' (expected one of: version, cluster, policy, rules, exclude, kustomize, gitops, registries)"),
        ("version: 1\ncluster:\n  archs: [amd64]\n",
         ".kubearch.yaml:3:3: unknown key 'cluster.archs' (expected one of: architectures, windowsArchitectures)"),
        ("version: 1\npolicy:\n  stratgy: pin\n",
         ".kubearch.yaml:3:3: unknown key 'policy.stratgy' (expected one of: strategy, preferredArchitecture)"),
        ("version: 1\nregistries:\n  docker.io:\n    mirorr: https://m.example.com\n",
         ".kubearch.yaml:4:5: unknown key 'registries[\"docker.io\"].mirorr' (expected one of: mirrors, mirror, fallback, insecure, caFile)"),
        // Wrong types.
        ("version: 1\ncluster:\n  architectures: amd64\n",
         ".kubearch.yaml:3:18: 'cluster.architectures' must be a list of architectures like [amd64, arm64], found the string 'amd64'"),
        ("version: 1\ncluster: [amd64]\n",
         ".kubearch.yaml:2:10: 'cluster' must be a mapping, found a list"),
        ("version: 1\nregistries:\n  r.example:\n    insecure: \"yes\"\n",
         ".kubearch.yaml:4:15: 'registries[\"r.example\"].insecure' must be true or false, found the string 'yes'"),
        ("version: 1\nexclude: charts/**\n",
         ".kubearch.yaml:2:10: 'exclude' must be a list of path globs like [\"charts/**\"], found the string 'charts/**'"),
        ("version: 1\nexclude: [[a]]\n",
         ".kubearch.yaml:2:11: 'exclude[0]' must be a path glob, found a list"),
        ("version: \"1\"\n",
         ".kubearch.yaml:1:10: 'version' must be a number, found the string '1'"),
        ("version: 1\npolicy:\n  preferredArchitecture: {a: b}\n",
         ".kubearch.yaml:3:26: 'policy.preferredArchitecture' must be an architecture name, found a mapping"),
        ("version: 1\ncluster:\n  windowsArchitectures:\n",
         ".kubearch.yaml:3:24: 'cluster.windowsArchitectures' must be a list of architectures like [amd64, arm64], found null"),
        ("[version, 1]\n",
         ".kubearch.yaml:1:1: the configuration must be a mapping of settings, found a list"),
        // Bad values.
        ("version: 1\npolicy:\n  strategy: fastest\n",
         ".kubearch.yaml:3:13: 'policy.strategy' has unknown value 'fastest' (expected one of: required, prefer, pin)"),
        ("version: 1\nrules:\n  KA004: warn\n",
         ".kubearch.yaml:3:10: 'rules.KA004' has unknown value 'warn' (expected one of: error, warning, note, off)"),
        ("version: 1\nrules:\n  KA004: warning\n  KA099: off\n",
         ".kubearch.yaml:4:3: unknown rule 'rules.KA099' (expected one of: KA001, KA002, KA003, KA004, KA005, KA006, KA007, KA008, KA009, KA010, KA011)"),
        ("version: 2\n",
         ".kubearch.yaml:1:10: unsupported 'version' 2 (this kubearch reads version 1)"),
        ("cluster:\n  architectures: [amd64]\n",
         ".kubearch.yaml:1:1: missing key 'version' (add 'version: 1' at the top)"),
        ("",
         ".kubearch.yaml:1:1: missing key 'version' (add 'version: 1' at the top)"),
        ("version: 1\ncluster:\n  architectures: []\n",
         ".kubearch.yaml:3:18: 'cluster.architectures' must name at least one architecture"),
        ("version: 1\ncluster:\n  architectures: [amd64, ARM64]\n",
         ".kubearch.yaml:3:26: 'cluster.architectures[1]' is not an architecture name: 'ARM64' (expected lowercase letters and digits, like amd64)"),
        ("version: 1\ncluster:\n  architectures:\n  - amd64\n  - amd64\n",
         ".kubearch.yaml:5:5: 'cluster.architectures[1]' repeats architecture 'amd64'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: 127.0.0.1:5000/mirror\n",
         ".kubearch.yaml:4:13: 'registries[\"docker.io\"].mirror' must be an http or https URL like https://mirror.example.com/namespace, found '127.0.0.1:5000/mirror'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: ftp://m.example.com/x\n",
         ".kubearch.yaml:4:13: 'registries[\"docker.io\"].mirror' has scheme 'ftp': a mirror is an http or https URL like https://mirror.example.com/namespace, found 'ftp://m.example.com/x'"),
        // Mirrors: every item located, the path read as a repository namespace, fallback a boolean.
        ("version: 1\nregistries:\n  docker.io:\n    mirrors:\n    - https://m.example.com/ok\n    - harbor.example.com/proxy\n",
         ".kubearch.yaml:6:7: 'registries[\"docker.io\"].mirrors[1]' must be an http or https URL like https://mirror.example.com/namespace, found 'harbor.example.com/proxy'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirrors: [https://m.example.com, ssh://git@m.example.com/x]\n",
         ".kubearch.yaml:4:38: 'registries[\"docker.io\"].mirrors[1]' has scheme 'ssh': a mirror is an http or https URL like https://mirror.example.com/namespace, found 'ssh://git@m.example.com/x'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirrors: https://m.example.com\n",
         ".kubearch.yaml:4:14: 'registries[\"docker.io\"].mirrors' must be a list of http or https URLs, found the string 'https://m.example.com'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirrors: [https://m.example.com/a, https://m.example.com/a/]\n",
         ".kubearch.yaml:4:40: 'registries[\"docker.io\"].mirrors[1]' repeats mirror 'https://m.example.com/a'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: https://m.example.com\n    mirrors: [https://n.example.com]\n",
         ".kubearch.yaml:5:5: 'registries[\"docker.io\"].mirrors' repeats 'registries[\"docker.io\"].mirror': give one list under 'mirrors' ('mirror: URL' is shorthand for a list of one)"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: https://harbor.example.com/v2/dockerhub-proxy\n",
         ".kubearch.yaml:4:13: 'registries[\"docker.io\"].mirror' has the path '/v2/dockerhub-proxy': a mirror's path is the repository namespace put before each repository (as in registries.conf), not an API path: leave out '/v2'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: https://harbor.example.com/DockerHub\n",
         ".kubearch.yaml:4:13: 'registries[\"docker.io\"].mirror' has the path '/DockerHub', which is not a repository namespace (lowercase letters and digits, separated by '/', '.', '_' or '-')"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: https://user:secret@harbor.example.com/p\n",
         ".kubearch.yaml:4:13: 'registries[\"docker.io\"].mirror' holds a user name or password: give credentials in the docker config (docker login), not in the URL"),
        ("version: 1\nregistries:\n  docker.io:\n    mirror: https://harbor.example.com/p?x=1\n",
         ".kubearch.yaml:4:13: 'registries[\"docker.io\"].mirror' must be scheme://host[:port][/namespace], without query or fragment, found 'https://harbor.example.com/p?x=1'"),
        ("version: 1\nregistries:\n  docker.io:\n    mirrors: [https://m.example.com]\n    fallback: \"no\"\n",
         ".kubearch.yaml:5:15: 'registries[\"docker.io\"].fallback' must be true or false, found the string 'no'"),
        ("version: 1\nregistries:\n  docker.io:\n    fallback: false\n",
         ".kubearch.yaml:4:15: 'registries[\"docker.io\"].fallback' is false but no mirror is configured, so nothing could be asked (add 'mirrors:')"),
        ("version: 1\nregistries:\n  https://docker.io:\n    insecure: true\n",
         ".kubearch.yaml:3:3: 'registries[\"https://docker.io\"]' is not a registry host (expected host[:port], like registry.example.com:5000)"),
        ("version: 1\nexclude: [\"\"]\n",
         ".kubearch.yaml:2:11: 'exclude[0]' is an empty pattern"),
        // Structure.
        ("version: 1\ncluster: {}\ncluster: {}\n",
         ".kubearch.yaml:3:1: duplicate key 'cluster'"),
        ("version: 1\n---\nversion: 1\n",
         ".kubearch.yaml:2:1: the configuration must be a single YAML document"),
        ("version: 1\n? [a]\n: b\n",
         ".kubearch.yaml:2:3: keys at the top level must be plain names, found a list"),
        ("version: 1\nrules:\n  <<: {KA001: off}\n",
         ".kubearch.yaml:3:3: keys under 'rules' must be plain names, found a merge key '<<'"),
        // Syntax errors keep libyaml's message and position.
        ("version: 1\ncluster:\n  architectures: [amd64\n",
         ".kubearch.yaml:4:1: did not find expected ',' or ']' while parsing a flow sequence"),
        ("version: 1\n\tcluster: {}\n",
         ".kubearch.yaml:2:1: found a tab character that violates indentation while scanning a plain scalar"),
    ])
    func located(text: String, expected: String) {
        #expect(Self.error(text) == expected)
    }

    @Test func unknownKeyInAFixtureFile() throws {
        let path = TestPaths.fixtures.appendingPathComponent("config/unknown-key.kubearch.yaml").path
        let error = #expect(throws: ConfigurationError.self) { try Configuration.load(path: path) }
        #expect(error?.path == path)
        #expect(error?.position?.line == 4)
        #expect(error?.position?.column == 3)
        #expect(error?.description == "\(path):4:3: unknown key 'cluster.windowsArchitecture' (expected one of: architectures, windowsArchitectures)")
    }
}
