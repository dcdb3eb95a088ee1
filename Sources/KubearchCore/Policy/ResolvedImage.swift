/// One image of a workload with the platforms its lookup returned, and the node architectures of
/// the entries for the pod's OS (variants collapse: `arm/v7` is `arm`).
struct ResolvedImage: Sendable {
    var image: ContainerImage
    var platforms: [Platform]
    var architectures: Set<String>

    init(image: ContainerImage, platforms: [Platform], operatingSystem: String) {
        self.image = image
        // Lockfile and registry answers come sorted already; checking is cheaper than sorting.
        self.platforms = zip(platforms, platforms.dropFirst()).allSatisfy { $0 <= $1 } ? platforms : platforms.sorted()
        architectures = Set(platforms.filter { $0.os == operatingSystem }.map(\.nodeArchitecture))
    }
}
