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
            // By index, field by field: pairing whole images with their platforms copied every
            // image (its parsed reference and node) for the few fields a row shows.
            images: (0..<min(workload.images.count, imagePlatforms.count)).map { index in
                ImageReport(
                    container: workload.images[index].container, reference: workload.images[index].reference,
                    canonical: workload.images[index].canonicalReference, platforms: imagePlatforms[index],
                    isInitContainer: workload.images[index].isInitContainer)
            },
            supported: supported, allowed: allowed)
    }
}
