import Dispatch
import FoundationEssentials
import KubearchCore

/// One root as the cluster would receive it: its rendered objects, scanned as one stream so that the
/// policy judges them as it judges plain files, and the provenance that maps what the policy says
/// back to the lines a person edits.
public struct RenderedRoot: Sendable {
    /// Absolute folder of the root's kustomization.
    public var folder: String
    /// What findings name as their `kustomization`: the root's folder, relative like every path.
    public var name: String
    public var resources: [Resource]
    public var stream: RenderedStream
    /// The rendered text, scanned; its workloads' `documentIndex` is their index in `resources`.
    public var file: ScannedFile
    /// Why the root could not be rendered; it is then not judged.
    public var problem: RenderProblem?
    /// For a GitOps object's root (SPEC §11): the object's fields merged into the folder's rendering.
    public var overrides: GitOpsOverrides?
    /// False for a GitOps object whose source is another repository or a Helm chart: its rendering
    /// reads none of this repository's kustomize files, so editing them cannot change it.
    public var readsThisRepository = true

    public init(folder: String, name: String, resources: [Resource], overrides: GitOpsOverrides? = nil) {
        self.folder = folder
        self.name = name
        self.resources = resources
        self.overrides = overrides
        stream = RenderedStream(resources)
        file = ManifestScanner.scan(path: name, bytes: stream.text, detail: .full)
    }

    public init(folder: String, name: String, problem: RenderProblem, overrides: GitOpsOverrides? = nil) {
        self.init(folder: folder, name: name, resources: [], overrides: overrides)
        self.problem = problem
    }

    /// The same root rendered to other objects (a rendering `fix` checks).
    public func rendering(_ resources: [Resource]) -> RenderedRoot {
        RenderedRoot(folder: folder, name: name, resources: resources, overrides: overrides)
    }

    /// The files the rendering read, as far as what it rendered tells: every document and every
    /// text that decided a value, the kustomization files beside them, and the root's own.
    public func reads(files: SourceFiles) -> Set<String> {
        var paths: Set<String> = []
        for resource in resources {
            paths.insert(resource.document.location)
            for origin in resource.tree.origins { paths.insert(SourceFiles.resolve(origin.file, in: files.currentDirectory)) }
        }
        for folder in Set(paths.map { PathText.deletingLastComponent($0) }) + [self.folder] {
            if case .success(let file?) = files.kustomizationFile(in: folder) { paths.insert(file) }
        }
        if let overrides { paths.insert(SourceFiles.resolve(overrides.file, in: files.currentDirectory)) }
        return paths
    }

    /// The resource a rendered workload was written from.
    public func resource(of workload: Workload) -> Resource? {
        resources.indices.contains(workload.documentIndex) ? resources[workload.documentIndex] : nil
    }

    /// Where the text that decided a rendered image was written.
    public func source(of image: ContainerImage) -> Origin? {
        stream.scalarOrigins[image.node.start.offset]
    }

    /// A finding about the rendered text, moved to the source (SPEC §11): image findings to the
    /// line that decided the image, the others to the source document's `kind:` line.
    public func relocate(_ finding: Finding) -> Finding {
        var moved = finding
        moved.kustomization = name
        let workload = file.workloads.first { workload in
            (workload.objectNode.start.line...workload.objectNode.end.line).contains(finding.line)
        }
        guard let workload, let resource = resource(of: workload) else {
            moved.file = resource(atLine: finding.line)?.document.file ?? name
            moved.line = resource(atLine: finding.line)?.document.kindPosition.line ?? 1
            moved.column = resource(atLine: finding.line)?.document.kindPosition.column ?? 1
            return moved
        }
        if let image = workload.images.first(where: { $0.position.line == finding.line && $0.position.column == finding.column }),
           let origin = source(of: image) {
            moved.file = origin.file
            moved.line = origin.position.line
            moved.column = origin.position.column
        } else {
            moved.file = resource.document.file
            moved.line = resource.document.kindPosition.line
            moved.column = resource.document.kindPosition.column
        }
        return moved
    }

    /// The resource whose rendered document holds `line` (for findings outside any workload).
    private func resource(atLine line: Int) -> Resource? {
        guard let document = file.stream.documents.first(where: { ($0.range.start.line...$0.range.end.line).contains(line) }) else { return nil }
        return resources.indices.contains(document.index) ? resources[document.index] : nil
    }

    /// The report row of a rendered workload: the source document's file and line, the root, and the
    /// source of each image.
    public func report(_ row: WorkloadReport, of workload: Workload) -> WorkloadReport {
        var row = row
        row.kustomization = name
        if let resource = resource(of: workload) {
            row.file = resource.document.file
            row.line = resource.document.kindPosition.line
        }
        for (index, image) in workload.images.enumerated() where row.images.indices.contains(index) {
            if let origin = source(of: image) { row.images[index].source = (origin.file, origin.position.line) }
        }
        return row
    }
}

/// Discovers and renders the roots of a scanned tree, on every core.
public enum KustomizeRoots {
    public static func render(_ tree: KustomizeTree, files: SourceFiles) -> [RenderedRoot] {
        let renderer = KustomizeRenderer(files: files)
        let roots = tree.roots
        let slots = ResultSlots<RenderedRoot>(count: roots.count)
        DispatchQueue.concurrentPerform(iterations: roots.count) { index in
            let folder = roots[index]
            let name = files.displayPath(folder)
            if let problem = tree.unreadable[folder] {
                slots.set(index, RenderedRoot(folder: folder, name: name, problem: problem))
                return
            }
            switch renderer.render(root: folder) {
            case .success(let resources): slots.set(index, RenderedRoot(folder: folder, name: name, resources: resources))
            case .failure(let problem): slots.set(index, RenderedRoot(folder: folder, name: name, problem: problem))
            }
        }
        return slots.values
    }

    /// Renders the roots GitOps objects name, each with its object's overrides; an object kubearch
    /// cannot render is a root with its problem (KA011 or KA008 at the object).
    public static func render(_ roots: [GitOpsRoot], files: SourceFiles) -> [RenderedRoot] {
        let renderer = KustomizeRenderer(files: files)
        let slots = ResultSlots<RenderedRoot>(count: roots.count)
        DispatchQueue.concurrentPerform(iterations: roots.count) { index in
            let root = roots[index]
            guard let folder = root.folder, let overrides = root.overrides else {
                let problem = root.problem ?? RenderProblem(.invalid, file: root.name, position: KustomizeRenderer.start, "nothing to render")
                var rendered = RenderedRoot(folder: root.folder ?? files.repositoryRoot, name: root.name, problem: problem)
                rendered.readsThisRepository = root.folder != nil
                slots.set(index, rendered)
                return
            }
            switch renderer.render(root: folder, overrides: overrides) {
            case .success(let resources):
                if let problem = GitOpsRendering.unsubstituted(resources, overrides: overrides) {
                    slots.set(index, RenderedRoot(folder: folder, name: root.name, problem: problem, overrides: overrides))
                } else {
                    slots.set(index, RenderedRoot(folder: folder, name: root.name, resources: resources, overrides: overrides))
                }
            case .failure(let problem): slots.set(index, RenderedRoot(folder: folder, name: root.name, problem: problem, overrides: overrides))
            }
        }
        return slots.values
    }
}
