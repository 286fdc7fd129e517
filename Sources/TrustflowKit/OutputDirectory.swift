internal import Foundation
public import Render

/// Writes a build into `output/` so that a build either completes or changes nothing.
///
/// Files are staged in a temporary folder beside `output/`, then the two folders are exchanged in one
/// `renameat2(RENAME_EXCHANGE)`. Files that Trustflow did not write (they are not in the manifest of the
/// previous build) are carried over into the new folder; nothing of the user's is deleted.
public struct OutputDirectory: Sendable {
    public static let manifestName = ".trustflow-manifest"

    public var path: String

    public init(path: String) {
        self.path = path
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Paths (relative) that the previous build wrote, from its manifest.
    public func manifest() -> Set<String> {
        let file = (path as NSString).appendingPathComponent(Self.manifestName)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// The bytes of a file of the current output, if it exists.
    public func read(_ relativePath: String) -> [UInt8]? {
        FileManager.default.contents(atPath: (path as NSString).appendingPathComponent(relativePath)).map { [UInt8]($0) }
    }

    /// Files that differ from `files`: changed, missing, or written by the previous build and no longer produced.
    public func staleFiles(comparedWith files: [OutputFile]) -> [String] {
        var stale: [String] = []
        let produced = Set(files.map(\.path))
        for file in files where read(file.path) != file.bytes {
            stale.append(file.path)
        }
        for old in manifest() where !produced.contains(old) {
            stale.append(old + " (no longer generated)")
        }
        let manifestText = Self.manifestText(for: files)
        if read(Self.manifestName) != Array(manifestText.utf8) && stale.isEmpty {
            stale.append(Self.manifestName)
        }
        return stale.sorted()
    }

    static func manifestText(for files: [OutputFile]) -> String {
        "# Files written by `trustflow build`; others in this folder are left alone.\n" + files.map(\.path).sorted().joined(separator: "\n") + "\n"
    }

    /// Writes `files` unless the output folder already holds exactly them (and the manifest): a no-change rebuild then
    /// costs one comparison instead of rewriting megabytes of PNG and PDF. Returns whether it wrote.
    @discardableResult
    public func writeIfChanged(_ files: [OutputFile]) throws(WriteError) -> Bool {
        if staleFiles(comparedWith: files).isEmpty { return false }
        try write(files)
        return true
    }

    /// Writes `files` as the new content of the output folder.
    public func write(_ files: [OutputFile]) throws(WriteError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let stamp = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).trustflow-new-\(stamp)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw WriteError(message: "cannot create a staging folder beside \(path): \(error.localizedDescription)")
        }
        do {
            for file in files {
                try Self.checkRelative(file.path)
                let url = staging.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
            try Data(Self.manifestText(for: files).utf8).write(to: staging.appendingPathComponent(Self.manifestName))
        } catch {
            try? fm.removeItem(at: staging)
            if let error = error as? WriteError { throw error }
            throw WriteError(message: "cannot write the new output: \(error.localizedDescription)")
        }

        guard fm.fileExists(atPath: target.path) else {
            do { try fm.moveItem(at: staging, to: target) } catch {
                try? fm.removeItem(at: staging)
                throw WriteError(message: "cannot move the new output into place: \(error.localizedDescription)")
            }
            return
        }
        let previous = manifest()
        // Exchange the folders atomically; `staging` then holds the previous output.
        do {
            try Self.exchange(staging.path, target.path)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
        // Carry over what Trustflow did not write; then drop the previous build.
        Self.carryOver(from: staging, to: target, relative: "", previous: previous, produced: Set(files.map(\.path)))
        try? fm.removeItem(at: staging)
    }

    /// Moves every entry of `old` that the previous build did not write into `new`, keeping its relative path.
    private static func carryOver(from old: URL, to new: URL, relative: String, previous: Set<String>, produced: Set<String>) {
        let fm = FileManager.default
        let folder = relative.isEmpty ? old : old.appendingPathComponent(relative)
        guard let entries = try? fm.contentsOfDirectory(atPath: folder.path) else { return }
        for entry in entries.sorted() {
            let path = relative.isEmpty ? entry : relative + "/" + entry
            if path == manifestName { continue }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: old.appendingPathComponent(path).path, isDirectory: &isDirectory) else { continue }
            let ours = previous.contains(path) || produced.contains(path)
            let holdsOurs = isDirectory.boolValue && (previous.contains { $0.hasPrefix(path + "/") } || produced.contains { $0.hasPrefix(path + "/") })
            if holdsOurs {
                carryOver(from: old, to: new, relative: path, previous: previous, produced: produced)
            } else if !ours {
                let destination = new.appendingPathComponent(path)
                if fm.fileExists(atPath: destination.path) { continue }
                try? fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? fm.moveItem(at: old.appendingPathComponent(path), to: destination)
            }
        }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2`, looked up at run time: Swift's Glibc module does not export it (it needs _GNU_SOURCE).
    private static let renameAt2: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
        .map { unsafeBitCast($0, to: RenameAt2.self) }

    /// Swaps two folders in one step (`RENAME_EXCHANGE`); where the kernel cannot, two renames in a row.
    private static func exchange(_ a: String, _ b: String) throws(WriteError) {
        let renameExchange: UInt32 = 1 << 1
        if let renameAt2, renameAt2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0 { return }
        let aside = a + ".previous"
        guard rename(b, aside) == 0 else {
            throw WriteError(message: "cannot move the previous output aside: \(String(cString: strerror(errno)))")
        }
        guard rename(a, b) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(aside, b)
            throw WriteError(message: "cannot move the new output into place: \(reason)")
        }
        guard rename(aside, a) == 0 else {
            throw WriteError(message: "cannot tidy the previous output at \(aside): \(String(cString: strerror(errno)))")
        }
    }

    static func checkRelative(_ path: String) throws(WriteError) {
        if path.isEmpty || path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw WriteError(message: "refusing to write outside the output folder: \(path)")
        }
    }
}
