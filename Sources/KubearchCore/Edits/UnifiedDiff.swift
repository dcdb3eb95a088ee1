/// A git-style unified diff of two versions of a file, for `fix --dry-run`.
public enum UnifiedDiff {
    public static let contextLines = 3

    /// `--- a/path`, `+++ b/path` and hunks with 3 lines of context; "" when the texts are equal.
    /// Lines are compared with their line breaks, so a last line that gains or loses its break shows
    /// as changed, followed by `\ No newline at end of file` as git prints it. A `\r` of a CRLF file
    /// stays at the end of its line.
    /// A new file (`isNew`) is shown as git shows one: `--- /dev/null`.
    public static func render(old: [UInt8], new: [UInt8], path: String, isNew: Bool = false) -> String {
        guard old != new else { return "" }
        let oldLines = lines(old)
        let newLines = lines(new)
        let script = editScript(oldLines, newLines)
        var output = (isNew ? "--- /dev/null\n" : "--- a/\(path)\n") + "+++ b/\(path)\n"
        for hunk in hunks(script) {
            output += header(hunk, script: script)
            for step in script[hunk] {
                switch step {
                case .keep(let oldIndex, _): output += line(" ", oldLines[oldIndex])
                case .delete(let oldIndex): output += line("-", oldLines[oldIndex])
                case .insert(let newIndex): output += line("+", newLines[newIndex])
                }
            }
        }
        return output
    }

    enum Step: Equatable {
        case keep(Int, Int)
        case delete(Int)
        case insert(Int)

        var isChange: Bool {
            if case .keep = self { return false }
            return true
        }
    }

    /// Each line with its line break (the last one may have none).
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            result.append(bytes[start...index])
            start = index + 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    private static func line(_ prefix: String, _ bytes: ArraySlice<UInt8>) -> String {
        if bytes.last == UInt8(ascii: "\n") {
            return prefix + String(decoding: bytes.dropLast(), as: UTF8.self) + "\n"
        }
        return prefix + String(decoding: bytes, as: UTF8.self) + "\n\\ No newline at end of file\n"
    }

    /// The shortest edit script (Myers' O((N+M)D) algorithm), as keeps, deletions and insertions
    /// in order, deletions before insertions within a change.
    static func editScript(_ old: [ArraySlice<UInt8>], _ new: [ArraySlice<UInt8>]) -> [Step] {
        let oldCount = old.count
        let newCount = new.count
        let maximum = oldCount + newCount
        let offset = maximum + 1
        var frontier = [Int](repeating: 0, count: 2 * maximum + 3)
        var trace: [[Int]] = []
        var found = false
        for distance in 0...maximum {
            trace.append(frontier)
            for diagonal in stride(from: -distance, through: distance, by: 2) {
                var x: Int
                if diagonal == -distance || (diagonal != distance && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1]) {
                    x = frontier[offset + diagonal + 1]  // down: an insertion
                } else {
                    x = frontier[offset + diagonal - 1] + 1  // right: a deletion
                }
                var y = x - diagonal
                while x < oldCount && y < newCount && old[x] == new[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + diagonal] = x
                if x >= oldCount && y >= newCount {
                    found = true
                    break
                }
            }
            if found { break }
        }
        // Walk back through the saved frontiers.
        var steps: [Step] = []
        var x = oldCount
        var y = newCount
        for distance in stride(from: trace.count - 1, through: 0, by: -1) {
            let previous = trace[distance]
            let diagonal = x - y
            let previousDiagonal: Int
            if diagonal == -distance || (diagonal != distance && previous[offset + diagonal - 1] < previous[offset + diagonal + 1]) {
                previousDiagonal = diagonal + 1
            } else {
                previousDiagonal = diagonal - 1
            }
            let previousX = distance == 0 ? 0 : previous[offset + previousDiagonal]
            let previousY = previousX - previousDiagonal
            while x > previousX && y > previousY && x > 0 && y > 0 && old[x - 1] == new[y - 1] {
                x -= 1
                y -= 1
                steps.append(.keep(x, y))
            }
            if distance > 0 {
                if x == previousX {
                    y -= 1
                    steps.append(.insert(y))
                } else {
                    x -= 1
                    steps.append(.delete(x))
                }
            }
        }
        while x > 0 && y > 0 {
            x -= 1
            y -= 1
            steps.append(.keep(x, y))
        }
        return steps.reversed()
    }

    /// Ranges of script steps to print: each change with up to 3 kept lines around it, hunks whose
    /// context would touch merged into one.
    static func hunks(_ script: [Step]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = 0
        while index < script.count {
            guard script[index].isChange else {
                index += 1
                continue
            }
            var end = index
            while end < script.count && script[end].isChange { end += 1 }
            let start = max(0, index - contextLines)
            let stop = min(script.count, end + contextLines)
            if let last = result.last, start <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<stop
            } else {
                result.append(start..<stop)
            }
            index = end
        }
        return result
    }

    /// `@@ -start,count +start,count @@`, with git's conventions: a count of 1 is left out, and an
    /// empty side names the line before it.
    private static func header(_ hunk: Range<Int>, script: [Step]) -> String {
        var oldLines: [Int] = []
        var newLines: [Int] = []
        var oldBefore = 0
        var newBefore = 0
        for step in script[..<hunk.lowerBound] {
            switch step {
            case .keep(let oldIndex, let newIndex):
                oldBefore = oldIndex + 1
                newBefore = newIndex + 1
            case .delete(let oldIndex): oldBefore = oldIndex + 1
            case .insert(let newIndex): newBefore = newIndex + 1
            }
        }
        for step in script[hunk] {
            switch step {
            case .keep(let oldIndex, let newIndex):
                oldLines.append(oldIndex)
                newLines.append(newIndex)
            case .delete(let oldIndex): oldLines.append(oldIndex)
            case .insert(let newIndex): newLines.append(newIndex)
            }
        }
        return "@@ -\(range(oldLines, before: oldBefore)) +\(range(newLines, before: newBefore)) @@\n"
    }

    private static func range(_ lines: [Int], before: Int) -> String {
        guard let first = lines.first else { return "\(before),0" }
        return lines.count == 1 ? "\(first + 1)" : "\(first + 1),\(lines.count)"
    }
}
