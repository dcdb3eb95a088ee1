import Foundation
import Testing
@testable import KubearchCore

/// What a corpus file is expected to hold: each workload as "Kind namespace/name @podSpecPath", and
/// its images as "container=reference" ("init:" marks init containers) with the line of the `image:` value.
struct CorpusExpectation: Sendable, CustomTestStringConvertible {
    var file: String
    var workloads: [String]
    var images: [String]
    var rules: [String] = []

    var testDescription: String { file }
}

@Suite("Scanner on real manifests")
struct ScannerCorpusTests {
    static let expectations: [CorpusExpectation] = [
        CorpusExpectation(
            file: "manifests/cert-manager/cert-manager-v0.8-static.yaml",
            workloads: [
                "Deployment cert-manager/cert-manager-cainjector @spec.template.spec",
                "Deployment cert-manager/cert-manager-webhook @spec.template.spec",
                "Deployment cert-manager/cert-manager @spec.template.spec",
            ],
            images: [
                "cainjector=quay.io/jetstack/cert-manager-cainjector:v0.8.0-alpha.0 @1475",
                "webhook=quay.io/jetstack/cert-manager-webhook:v0.8.0-alpha.0 @1517",
                "cert-manager=quay.io/jetstack/cert-manager-controller:v0.8.0-alpha.0 @1571",
            ]),
        CorpusExpectation(
            file: "manifests/dashboard/init-container-pod.yaml",
            workloads: ["Pod myapp-pod @spec"],
            images: ["myapp-container=busybox @27", "init:init-myservice=busybox @31", "init:init-mydb=busybox @34"]),
        CorpusExpectation(
            file: "manifests/descheduler/cronjob.yaml",
            workloads: ["CronJob kube-system/descheduler-cronjob @spec.jobTemplate.spec.template.spec"],
            images: ["descheduler=registry.k8s.io/descheduler/descheduler:v0.36.0 @19"]),
        CorpusExpectation(
            file: "manifests/ingress-nginx/cloud-deploy.yaml",
            workloads: [
                "Deployment ingress-nginx/ingress-nginx-controller @spec.template.spec",
                "Job ingress-nginx/ingress-nginx-admission-create @spec.template.spec",
                "Job ingress-nginx/ingress-nginx-admission-patch @spec.template.spec",
            ],
            images: [
                "controller=registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1 @446",
                "create=registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9@sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd @549",
                "patch=registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9@sha256:01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd @605",
            ]),
        CorpusExpectation(
            file: "manifests/ingress-nginx/helm-template.controller-daemonset.yaml",
            workloads: [], images: [], rules: ["KA010@1:1"]),
        CorpusExpectation(
            file: "manifests/kube-linter-testdata/container-with-merge.yaml",
            workloads: ["Deployment complex-anchors @spec.template.spec"],
            images: ["app=myapp:latest @10", "sidecar=sidecar:latest @26", "worker=worker:latest @35"]),
        CorpusExpectation(
            file: "manifests/kube-prometheus/nodeExporter-daemonset.yaml",
            workloads: ["DaemonSet monitoring/node-exporter @spec.template.spec"],
            images: ["node-exporter=quay.io/prometheus/node-exporter:v1.12.1 @41", "kube-rbac-proxy=quay.io/brancz/kube-rbac-proxy:v0.22.1 @76"]),
        CorpusExpectation(
            file: "manifests/kubeconform-fixtures/list_valid.yaml",
            workloads: [
                "ReplicationController redis-master @spec.template.spec",
                "ReplicationController redis-slave @spec.template.spec",
                "ReplicationController frontend @spec.template.spec",
            ],
            images: ["master=redis @50", "slave=gcr.io/google_samples/gb-redisslave:v1 @102", "php-redis=gcr.io/google_samples/gb-frontend:v3 @160"]),
        CorpusExpectation(
            file: "manifests/kubeconform-fixtures/valid.json",
            workloads: ["ReplicationController bob @spec.template.spec"],
            images: ["nginx=nginx @23"]),
        CorpusExpectation(
            file: "manifests/kubeconform-fixtures/multi_invalid_resources.yaml",
            workloads: [], images: []),
        CorpusExpectation(
            file: "manifests/kubernetes-examples/elasticsearch-rc.yaml",
            workloads: ["ReplicationController es @spec.template.spec"],
            images: ["init:init-sysctl=busybox @17", "es=quay.io/pires/docker-elasticsearch-kubernetes:5.6.2 @28"]),
        CorpusExpectation(
            file: "manifests/kubernetes-examples/javaweb-initcontainer-pod.yaml",
            workloads: ["Pod javaweb @spec"],
            images: ["init:war=resouer/sample:v1 @7", "tomcat=resouer/mytomcat:7.0 @14"]),
        CorpusExpectation(
            file: "manifests/kubernetes-examples/phabricator-controller.json",
            workloads: ["ReplicationController phabricator-controller @spec.template.spec"],
            images: ["phabricator=fgrzadkowski/example-php-phabricator @25"]),
        CorpusExpectation(
            file: "manifests/microservices-demo/kubernetes-manifests.yaml",
            workloads: ["frontend", "adservice", "currencyservice", "cartservice", "redis-cart", "loadgenerator",
                        "recommendationservice", "checkoutservice", "emailservice", "paymentservice",
                        "shippingservice", "productcatalogservice"].map { "Deployment \($0) @spec.template.spec" },
            images: [
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend:v0.10.6 @53",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/adservice:v0.10.6 @180",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/currencyservice:v0.10.6 @255",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/cartservice:v0.10.6 @329",
                "redis=redis:alpine @401",
                "init:frontend-check=busybox:1.38.0@sha256:fd8d9aa63ba2f0982b5304e1ee8d3b90a210bc1ffb5314d980eb6962f1a9715d @494",
                "main=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/loadgenerator:v0.10.6 @507",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/recommendationservice:v0.10.6 @559",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/checkoutservice:v0.10.6 @635",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/emailservice:v0.10.6 @718",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/paymentservice:v0.10.6 @793",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/shippingservice:v0.10.6 @865",
                "server=us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/productcatalogservice:v0.10.6 @939",
            ]),
        CorpusExpectation(
            file: "manifests/opentelemetry-operator/e2e-dotnet-initcontainer-pod.yaml",
            workloads: ["Pod my-dotnet-initcontainer @spec"],
            images: [
                "init:dotnet-init=ghcr.io/open-telemetry/opentelemetry-operator/e2e-test-app-dotnet:main @17",
                "main-app=mirror.gcr.io/library/busybox:latest @42",
            ]),
    ]

    @Test(arguments: expectations)
    func workloadsAndImages(_ expected: CorpusExpectation) throws {
        let scanned = ManifestScanner.scan(path: expected.file, bytes: try TestPaths.fixture(expected.file))
        let workloads = scanned.workloads.map { workload in
            let namespace = workload.object.namespace.map { "\($0)/" } ?? ""
            return "\(workload.object.kind ?? "?") \(namespace)\(workload.object.name ?? "?") @\(workload.podSpecPathDescription)"
        }
        #expect(workloads == expected.workloads)
        let images = scanned.workloads.flatMap(\.images).map { image in
            "\(image.isInitContainer ? "init:" : "")\(image.container ?? "?")=\(image.reference) @\(image.position.line)"
        }
        #expect(images == expected.images)
        #expect(scanned.findings.map { "\($0.rule.rawValue)@\($0.line):\($0.column)" } == expected.rules)
        // Every image position points at the reference text itself (quotes aside).
        for image in scanned.workloads.flatMap(\.images) {
            let text = String(decoding: scanned.bytes[image.node.range.bytes], as: UTF8.self)
            #expect(text == image.reference || text == "\"\(image.reference)\"")
        }
    }

    @Test(.enabled(if: TestPaths.hasSharedCorpus, "needs ../shared/corpus beside the checkout"))
    func wholeSharedCorpusScansWithoutCrashing() throws {
        let root = TestPaths.sharedCorpus.appendingPathComponent("manifests").path
        let finder = ManifestFinder(currentDirectory: root)
        let sources = try finder.find([root])
        #expect(sources.count >= 50)
        let set = ManifestSet.scan(sources)
        #expect(set.unreadable.isEmpty)
        #expect(set.files.count == sources.count)
        #expect(set.workloads.count >= 50)
        // Helm templates are notes, never syntax errors.
        let templates = set.files.filter(\.isTemplate).map(\.path)
        #expect(templates.allSatisfy { $0.contains("helm-template") })
        #expect(templates.count == 4)
        #expect(set.findings.filter { $0.rule == .invalidManifest }.isEmpty)
    }
}
