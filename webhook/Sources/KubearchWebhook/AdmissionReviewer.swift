import KubearchCore

/// Answers one AdmissionReview with the CLI's judgement (SPEC §13): the pod is scanned by the CLI's
/// scanner and judged by its `WorkloadEvaluator`; what `fix` would write becomes a JSON Patch.
struct AdmissionReviewer: Sendable {
    struct Settings: Sendable {
        var policy = PolicySettings()
        /// Admit a pod whose images share no architecture (with a warning) instead of denying it.
        var allowNoCommonArchitecture = false
        /// The most a review waits for the registry (`--registry-timeout`).
        var registryTimeoutCap: Duration = .seconds(2)
    }

    /// A review's answer and what the log line and metrics say about it.
    struct Outcome: Sendable {
        var response: AdmissionResponse
        /// patched, unchanged, denied, failed-open.
        var decision: String
        /// Why there is no patch (nil when patched or denied).
        var skipReason: String?
        var namespace: String?
        var pod: String?
    }

    var settings: Settings
    var cache: ImageCache
    var metrics: WebhookMetrics

    /// `query` is the request's query string (for `timeout=`).
    func review(_ body: [UInt8], query: String?) async throws(AdmissionRequestError) -> Outcome {
        let request = try AdmissionRequest.parse(body)
        var outcome = Outcome(
            response: AdmissionResponse(uid: request.uid, allowed: true), decision: "unchanged", namespace: request.namespace,
            pod: request.name)
        guard request.kind == .pod else {
            return skip(outcome, reason: "not-a-pod", warning: "kubearch: \(request.kind) is not a Pod; admitted unchanged")
        }
        guard request.operation == "CREATE" else { return skip(outcome, reason: "not-a-create", warning: nil) }

        let scanned = ManifestScanner.scan(path: "request.object", bytes: request.object, detail: .full)
        guard scanned.findings.isEmpty, scanned.workloads.count == 1, let workload = scanned.workloads.first else {
            let why = scanned.findings.first?.message ?? "it is not a pod with containers"
            return skip(outcome, reason: "unreadable-pod", warning: "kubearch: could not judge the pod (\(why)); admitted unchanged")
        }
        outcome.pod = request.name ?? workload.object.name ?? workload.podGenerateName
        if WorkloadEvaluator.namesItsNode(workload) { return skip(outcome, reason: "node-name", warning: nil) }
        if PolicyAnnotation.ignoredRules(in: workload.annotations) == Set(RuleID.allCases) {
            return skip(outcome, reason: "ignored", warning: nil)
        }

        let deadline = ReviewDeadline.deadline(query: query, cap: settings.registryTimeoutCap)
        let resolutions = await resolve(workload.images, deadline: deadline)
        let evaluation = WorkloadEvaluator(settings: settings.policy).evaluate(workload, source: request.object) { image in
            resolutions[image.reference] ?? .unresolved(reason: "\(image.reference) was not looked up")
        }
        return decide(evaluation, source: request.object, podSpecPointer: JSONPointer(workload.podSpecPath), outcome: outcome)
    }

    private func decide(_ evaluation: WorkloadEvaluation, source: [UInt8], podSpecPointer: JSONPointer, outcome: Outcome) -> Outcome {
        var outcome = outcome
        // Fail open: an image the registry could not tell about leaves the pod as it is.
        let unresolved = zip(evaluation.workload.images, evaluation.resolutions).compactMap { image, resolution -> String? in
            if case .unresolved(let reason) = resolution { return "\(image.reference): \(reason)" }
            return nil
        }
        if !unresolved.isEmpty {
            outcome.decision = "failed-open"
            return skip(
                outcome, reason: "unresolved",
                warning: "kubearch: admitted without an architecture constraint, images could not be resolved: " + unresolved.joined(separator: "; "))
        }
        let noCommon = evaluation.findings.filter { $0.rule == .noCommonArchitecture || $0.rule == .osMismatch }
        if !noCommon.isEmpty {
            let message = "kubearch: " + noCommon.map(\.message).joined(separator: "; ")
            if settings.allowNoCommonArchitecture { return skip(outcome, reason: "no-common-architecture", warning: message) }
            outcome.response.allowed = false
            outcome.response.denialMessage = message
            outcome.decision = "denied"
            return outcome
        }
        let warnings = evaluation.findings.filter { !$0.fixable }.map { "kubearch: " + $0.message }
        outcome.response.warnings = warnings
        if let plan = evaluation.fixPlan {
            let operations = AffinityPatchPlanner(podSpec: evaluation.workload.podSpec, podSpecPointer: podSpecPointer).operations(for: plan)
            if !operations.isEmpty {
                outcome.response.patch = PatchOperation.document(operations)
                outcome.decision = "patched"
                // Under `prefer` with nothing required, the label names the preferred term instead.
                let label = plan.architectures.isEmpty ? ["preferred:" + (plan.preferredArchitecture ?? "")] : plan.architectures
                metrics.patched(architectures: label)
                return outcome
            }
        }
        let reason: String
        if !warnings.isEmpty {
            reason = "findings"
        } else if NodeConstraints(podSpec: evaluation.workload.podSpec, source: source).isConstrained {
            reason = "constrained"
        } else {
            reason = "fits-cluster"  // every image runs on every architecture of the cluster
        }
        return skip(outcome, reason: reason, warning: nil)
    }

    private func skip(_ outcome: Outcome, reason: String, warning: String?) -> Outcome {
        var outcome = outcome
        outcome.skipReason = reason
        if let warning { outcome.response.warnings.append(warning) }
        metrics.skipped(reason: reason)
        return outcome
    }

    /// Every image's resolution keyed by the reference as written; registry misses are asked
    /// concurrently, each bounded by `deadline`.
    private func resolve(_ images: [ContainerImage], deadline: Duration) async -> [String: ImageResolution] {
        var resolutions: [String: ImageResolution] = [:]
        var missing: [String: ImageReference] = [:]
        for image in images where resolutions[image.reference] == nil {
            switch image.parsedReference {
            case .failure(let error):
                resolutions[image.reference] = .unresolved(reason: error.description)
            case .success(let reference):
                if let locked = cache.locked(reference) {
                    metrics.imageLookup(source: ImageCache.Source.lockfile.rawValue)
                    resolutions[image.reference] = locked
                } else {
                    missing[image.reference] = reference
                }
            }
        }
        guard !missing.isEmpty else { return resolutions }
        let (cache, metrics) = (cache, metrics)
        await withTaskGroup(of: (String, ImageResolution).self) { group in
            for (written, reference) in missing {
                group.addTask {
                    switch await cache.lookup(reference, deadline: deadline) {
                    case .found(let resolution, let source):
                        metrics.imageLookup(source: source.rawValue)
                        return (written, resolution)
                    case .timedOut:
                        metrics.registryError(kind: "timeout")
                        return (written, .unresolved(reason: "the registry did not answer within \(Self.milliseconds(deadline)) ms"))
                    case .failed(let reason):
                        metrics.registryError(kind: "error")
                        return (written, .unresolved(reason: reason))
                    }
                }
            }
            for await (written, resolution) in group { resolutions[written] = resolution }
        }
        return resolutions
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

private extension Workload {
    /// `metadata.generateName` of a pod made by a controller (such pods have no name yet at CREATE).
    var podGenerateName: String? { objectNode.value(at: ["metadata", "generateName"])?.scalar }
}
