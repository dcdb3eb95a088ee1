extension WorkloadReport {
    /// The report row for a scanned workload; platforms, S and A are filled in by `check`.
    public init(_ workload: Workload, platforms: (ContainerImage) -> [String]? = { _ in nil }, supported: [String]? = nil, allowed: [String]? = nil) {
        self.init(
            file: workload.file, line: workload.kindPosition.line, object: workload.object,
            podSpecPath: workload.podSpecPathDescription,
            images: workload.images.map { image in
                ImageReport(
                    container: image.container, reference: image.reference,
                    canonical: try? image.parsedReference.get().canonical, platforms: platforms(image),
                    isInitContainer: image.isInitContainer)
            },
            supported: supported, allowed: allowed)
    }
}
