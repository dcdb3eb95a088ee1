extension WorkloadReport {
    /// The report row for a scanned workload; platforms, S and A are filled in by `check`.
    public init(_ workload: Workload, platforms: (ContainerImage) -> [String]? = { _ in nil }, supported: [String]? = nil, allowed: [String]? = nil) {
        self.init(workload, imagePlatforms: workload.images.map(platforms), supported: supported, allowed: allowed)
    }

    /// As `init(_:platforms:supported:allowed:)` with each image's platforms given in image order
    /// (an evaluation has them already: no second lookup per image).
    public init(_ workload: Workload, imagePlatforms: [[String]?], supported: [String]? = nil, allowed: [String]? = nil) {
        self.init(
            file: workload.file, line: workload.kindPosition.line, object: workload.object,
            podSpecPath: workload.podSpecPathDescription,
            images: zip(workload.images, imagePlatforms).map { image, platforms in
                ImageReport(
                    container: image.container, reference: image.reference,
                    canonical: try? image.parsedReference.get().canonical, platforms: platforms,
                    isInitContainer: image.isInitContainer)
            },
            supported: supported, allowed: allowed)
    }
}
