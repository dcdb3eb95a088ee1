/// The small kustomize transformers: `namespace`, `namePrefix`/`nameSuffix`, `commonAnnotations`
/// and `replicas`, each as kustomize v5 applies it to the objects kubearch judges.
enum ObjectTransformers {
    /// Kinds that live outside namespaces: `namespace:` leaves them alone.
    static let clusterScopedKinds: Set<String> = [
        "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "PersistentVolume",
        "StorageClass", "PriorityClass", "APIService", "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "Node", "CSIDriver", "CSINode", "IngressClass", "RuntimeClass", "VolumeAttachment", "PodSecurityPolicy",
        "ComponentStatus", "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration",
    ]

    static func setNamespace(_ namespace: Located<String>, file: String, in resources: inout [Resource]) {
        let origin = Origin(file: file, position: namespace.position)
        for index in resources.indices where !clusterScopedKinds.contains(resources[index].kind ?? "") {
            resources[index].rename(namespace: namespace.value, origin: origin)
        }
    }

    static func affixNames(prefix: String, suffix: String, in resources: inout [Resource]) {
        for index in resources.indices {
            // kustomize leaves these names alone: they are referred to by their exact names.
            if resources[index].kind == "CustomResourceDefinition" { continue }
            guard let name = resources[index].name else { continue }
            resources[index].rename(name: prefix + name + suffix, origin: nil)
        }
    }

    /// Pod templates of the kinds kubearch judges, where `commonAnnotations` also lands.
    static let templateMetadataPaths: [[String]] = [
        ["spec", "template", "metadata"], ["spec", "jobTemplate", "spec", "template", "metadata"],
        ["spec", "jobTemplate", "metadata"], ["template", "metadata"],
    ]

    static func annotate(_ annotations: [(key: String, value: ResourceNode)], in resources: inout [Resource]) {
        for index in resources.indices {
            for (key, value) in annotations {
                resources[index].tree.set(value, at: ["metadata", "annotations", key])
                for path in templateMetadataPaths where resources[index].tree.value(at: Array(path.dropLast())) != nil {
                    resources[index].tree.set(value, at: path + ["annotations", key])
                }
            }
        }
    }

    static let replicatedKinds: Set<String> = ["Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"]

    static func setReplicas(name: String, count: ResourceNode, in resources: inout [Resource]) {
        for index in resources.indices where replicatedKinds.contains(resources[index].kind ?? "") {
            guard resources[index].identities.contains(where: { $0.name == name }) else { continue }
            resources[index].tree.set(count, at: ["spec", "replicas"])
        }
    }
}
