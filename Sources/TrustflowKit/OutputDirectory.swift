internal import Foundation
public import Render
#if canImport(Glibc)
internal import Glibc
#endif

/// Writes a build into `output/` so that a build either completes or changes nothing, and never loses a file of
/// the user's.
///
/// Files are staged in a temporary folder beside `output/`. Files that Trustflow did not write (they are not in the
/// manifest of the previous build) are then moved into the staged folder, and the two folders are exchanged in one
/// `renameat2(RENAME_EXCHANGE)`. Before anything moves, the whole previous output is read: a file of the user's where
/// the build writes stops the build with nothing changed. A move that fails undoes the moves before it; the previous
/// build is removed file by file, only what its manifest lists, so nothing the user put there can be deleted.
public struct OutputDirectory: Sendable {
    public static let manifestName = ".trustflow-manifest"

    public var path: String

    public init(path: String) {
        self.path = path
    }

    public struct WriteError: Error, CustomStringConvertible {
        /// `unusableOutput`: the output folder cannot be used as it is (where it is, or a file of the user's in the
        /// way) — the user must act, the command exits 2. `failed`: writing failed along the way, exit 1.
        public enum Kind: Sendable, Equatable {
            case unusableOutput, failed
        }

        public var kind: Kind
        public var message: String
        public var description: String { message }

        public init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// Paths (relative) that the previous build wrote, from its manifest.
    public func manifest() -> Set<String> {
        let file = (path as NSString).appendingPathComponent(Self.manifestName)
        // No manifest (or an unreadable one) claims nothing: every file is then the user's, the safe side.
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

    // MARK: Where the output may go

    /// The real path of `path` — absolute, symbolic links resolved, standardized — also when it does not exist yet:
    /// its nearest existing ancestor is resolved and the rest appended.
    public static func realPath(_ path: String) -> String {
        let resolved = resolve(path)
        return resolved.missing.isEmpty ? resolved.existing : standardized(resolved.existing + "/" + resolved.missing.joined(separator: "/"))
    }

    /// Refuses an output folder that is the content folder, holds it or sits inside it: a build swaps the whole
    /// output folder and later deletes what its manifest lists, so it would overwrite and delete the content's files.
    public func checkSeparate(fromContent content: String) throws(WriteError) {
        let output = Self.realPath(path), source = Self.realPath(content)
        let problem: String? =
            if output == source { "is the content folder" }
            else if Self.isInside(source, output) { "contains the content folder \(content)" }
            else if Self.isInside(output, source) { "is inside the content folder \(content)" }
            else { nil }
        if let problem {
            throw WriteError(.unusableOutput, "the output folder \(path) \(problem) (\(output)); a build would overwrite and later delete the content's files. Choose an output folder outside the content.")
        }
    }

    /// Refuses an output folder that cannot be a folder: it is a file, or a file sits where one of its parents goes.
    public func checkUsable() throws(WriteError) {
        let resolved = Self.resolve(path)
        guard !Self.isDirectory(resolved.existing) else { return }
        if resolved.missing.isEmpty {
            throw WriteError(.unusableOutput, "the output folder \(path) is a file (\(resolved.existing)), not a folder; choose another output folder.")
        }
        throw WriteError(.unusableOutput, "cannot create the output folder \(path): \(resolved.existing) is a file, not a folder.")
    }

    // MARK: Writing

    /// Writes `files` unless the output folder already holds exactly them (and the manifest): a no-change rebuild then
    /// costs one comparison instead of rewriting megabytes of PNG and PDF. Returns whether it wrote.
    @discardableResult
    public func writeIfChanged(_ files: [OutputFile]) throws(WriteError) -> Bool {
        if staleFiles(comparedWith: files).isEmpty { return false }
        try write(files)
        return true
    }

    /// Writes `files` as the new content of the output folder, carrying over everything Trustflow did not write.
    public func write(_ files: [OutputFile]) throws(WriteError) {
        for file in files { try Self.checkRelative(file.path) }
        try checkUsable()
        let fm = FileManager.default
        // The real folder: a symbolic link to the output stays a link, and the folder it names is the one swapped.
        let target = Self.realPath(path)
        let (parent, name) = Self.split(target)
        guard !name.isEmpty else { throw WriteError(.unusableOutput, "cannot use \(path) (the root folder) as the output folder.") }
        let stamp = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let staging = parent + "/.\(name).trustflow-new-\(stamp)"
        let produced = Set(files.map(\.path)).union([Self.manifestName])
        let exists = Self.exists(target)

        // Read the previous output before changing anything: a file of the user's in the way stops the build here.
        let previous = exists ? manifest().union([Self.manifestName]) : []
        let userEntries = exists ? try Self.userEntries(in: target, of: path, previous: previous, produced: produced) : []

        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw WriteError(.unusableOutput, "cannot create the output folder \(path) (a staging folder beside it): \(Self.reason(error))")
        }
        do {
            for file in files {
                let url = URL(fileURLWithPath: staging).appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
            try Data(Self.manifestText(for: files).utf8).write(to: URL(fileURLWithPath: staging + "/" + Self.manifestName))
        } catch {
            throw WriteError(.failed, "cannot write the new output: \(Self.reason(error))" + Self.discardStaging(staging, produced: produced))
        }

        guard exists else {
            do throws(SystemCallError) {
                try Self.moveWithoutReplacing(staging, to: target)
            } catch {
                throw WriteError(.failed, "cannot move the new output into place at \(path): \(error.reason)" + Self.discardStaging(staging, produced: produced))
            }
            return
        }

        // Carry the user's entries into the new output; a failure puts back what moved and leaves `output/` as it was.
        var carried: [String] = []
        for entry in userEntries {
            do throws(SystemCallError) {
                try Self.createFolders(for: entry, in: staging)
                try Self.moveWithoutReplacing(target + "/" + entry, to: staging + "/" + entry)
                carried.append(entry)
            } catch {
                let undo = Self.moveBack(carried, from: staging, to: target)
                throw WriteError(.unusableOutput, "cannot carry \(path)/\(entry), which Trustflow did not write, over into the new output: \(error.reason). "
                    + (undo.isEmpty ? "Nothing was changed; move the file out of \(path) or choose another output folder." : undo)
                    + Self.discardStaging(staging, produced: produced))
            }
        }

        let previousBuild: String
        do throws(SystemCallError) {
            previousBuild = try Self.exchange(staging, target, aside: parent + "/.\(name).trustflow-old-\(stamp)")
        } catch {
            let undo = Self.moveBack(carried, from: staging, to: target)
            throw WriteError(.failed, "cannot swap the new output into place at \(path): \(error.reason). "
                + (undo.isEmpty ? "\(path) was left as it was." : undo) + Self.discardStaging(staging, produced: produced))
        }
        // `previousBuild` now holds only what the previous build wrote; remove exactly that, never anything else.
        let left = Self.removeOnly(previous, from: previousBuild)
        if !left.isEmpty {
            throw WriteError(.failed, "the new output is in place, but \(previousBuild) (the previous build) still holds what Trustflow did not write or could not remove, kept there: \(left.joined(separator: ", ")).")
        }
    }

    static func checkRelative(_ path: String) throws(WriteError) {
        if path.isEmpty || path.hasPrefix("/") || path.split(separator: "/").contains("..") {
            throw WriteError(.failed, "refusing to write outside the output folder: \(path)")
        }
        if path == manifestName {
            throw WriteError(.failed, "refusing to write a generated file over the manifest: \(path)")
        }
    }
}

// MARK: - Reading the previous output

extension OutputDirectory {
    /// The entries (relative paths) of the previous output at `root` that Trustflow did not write, each the topmost
    /// that can move whole: a folder of the user's moves as one entry, a folder that also holds generated files is
    /// entered. Throws, with nothing changed, when one of them sits where the build writes, or a folder cannot be read
    /// (an unread folder's files could not be carried over, and would go with the previous build).
    static func userEntries(in root: String, of shown: String, previous: Set<String>, produced: Set<String>) throws(WriteError) -> [String] {
        let sets = PathSets(previous: previous, produced: produced)
        var inTheWay: [String] = []
        let entries = try walk("", root: root, shown: shown, sets: sets, inTheWay: &inTheWay)
        if inTheWay.count == 1 {
            throw WriteError(.unusableOutput, "\(shown)/\(inTheWay[0]) was not written by Trustflow (it is not in \(shown)/\(manifestName)), and the build writes there. Nothing was changed; move it out of \(shown) or choose another output folder.")
        }
        if !inTheWay.isEmpty {
            let list = inTheWay.map { "  \(shown)/\($0)" }.joined(separator: "\n")
            throw WriteError(.unusableOutput, "\(inTheWay.count) entries of \(shown) were not written by Trustflow (they are not in \(shown)/\(manifestName)), and the build writes there:\n\(list)\nNothing was changed; move them out of \(shown) or choose another output folder.")
        }
        return entries
    }

    /// What the previous and the new build write, and the folders that hold it.
    struct PathSets {
        var previous: Set<String>, produced: Set<String>
        var previousFolders: Set<String>, producedFolders: Set<String>

        init(previous: Set<String>, produced: Set<String>) {
            self.previous = previous
            self.produced = produced
            previousFolders = Self.folders(of: previous)
            producedFolders = Self.folders(of: produced)
        }

        static func folders(of paths: Set<String>) -> Set<String> {
            var folders: Set<String> = []
            for path in paths {
                var components = path.split(separator: "/").dropLast()
                while !components.isEmpty {
                    folders.insert(components.joined(separator: "/"))
                    components = components.dropLast()
                }
            }
            return folders
        }
    }

    private static func walk(_ relative: String, root: String, shown: String, sets: PathSets, inTheWay: inout [String]) throws(WriteError) -> [String] {
        let folder = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw WriteError(.unusableOutput, "cannot read \(relative.isEmpty ? shown : shown + "/" + relative) to keep what Trustflow did not write there: \(reason(error)). Nothing was changed.")
        }
        var found: [String] = []
        for name in names.sorted() {
            let entry = relative.isEmpty ? name : relative + "/" + name
            if isDirectory(root + "/" + entry) {
                if sets.produced.contains(entry) {
                    // A generated file goes where this folder is: fine only if the folder held generated files alone.
                    guard sets.previousFolders.contains(entry) else {
                        inTheWay.append(entry + "/")
                        continue
                    }
                    let inner = try walk(entry, root: root, shown: shown, sets: sets, inTheWay: &inTheWay)
                    inTheWay += inner
                } else if sets.previousFolders.contains(entry) || sets.producedFolders.contains(entry) {
                    found += try walk(entry, root: root, shown: shown, sets: sets, inTheWay: &inTheWay)
                } else {
                    found.append(entry)
                }
            } else if sets.previous.contains(entry) {
                continue  // written by the previous build; it goes with it
            } else if sets.produced.contains(entry) || sets.producedFolders.contains(entry) {
                inTheWay.append(entry)
            } else {
                found.append(entry)
            }
        }
        return found
    }
}

// MARK: - Moving and removing, never replacing

extension OutputDirectory {
    /// A failed system call, with the reason `strerror` gives.
    struct SystemCallError: Error {
        var reason: String

        static func current() -> SystemCallError {
            SystemCallError(reason: String(cString: strerror(errno)))
        }
    }

    #if canImport(Glibc)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc's `renameat2`, looked up at run time: Swift's Glibc module does not export it (it needs _GNU_SOURCE).
    private static let renameAt2: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
        .map { unsafeBitCast($0, to: RenameAt2.self) }
    private static let renameNoReplace: UInt32 = 1 << 0
    private static let renameExchange: UInt32 = 1 << 1
    #endif

    /// Renames `source` to `destination`, failing rather than replacing anything at `destination`.
    static func moveWithoutReplacing(_ source: String, to destination: String) throws(SystemCallError) {
        #if canImport(Glibc)
        if let renameAt2 {
            if renameAt2(AT_FDCWD, source, AT_FDCWD, destination, renameNoReplace) == 0 { return }
            let code = errno
            // EINVAL: the file system cannot refuse to replace; check first instead, below.
            if code != EINVAL && code != ENOSYS { throw SystemCallError(reason: String(cString: strerror(code))) }
        }
        #endif
        guard !exists(destination) else { throw SystemCallError(reason: "\(destination) already exists") }
        guard rename(source, destination) == 0 else { throw .current() }
    }

    /// Swaps the staged folder and the output in one step (`RENAME_EXCHANGE`); where the system cannot, in two renames
    /// (the output is missing for a moment between them). Returns where the previous output is now.
    static func exchange(_ staging: String, _ target: String, aside: String) throws(SystemCallError) -> String {
        #if canImport(Glibc)
        if let renameAt2 {
            if renameAt2(AT_FDCWD, staging, AT_FDCWD, target, renameExchange) == 0 { return staging }
            let code = errno
            if code != EINVAL && code != ENOSYS { throw SystemCallError(reason: String(cString: strerror(code))) }
        }
        #endif
        guard rename(target, aside) == 0 else { throw .current() }
        guard rename(staging, target) == 0 else {
            let failure = SystemCallError.current()
            guard rename(aside, target) == 0 else {
                throw SystemCallError(reason: failure.reason + "; the previous output is now at \(aside)")
            }
            throw failure
        }
        return aside
    }

    /// Creates the folders `entry` (relative) needs under `root`.
    static func createFolders(for entry: String, in root: String) throws(SystemCallError) {
        let folder = split(entry).folder
        guard !folder.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        } catch {
            throw SystemCallError(reason: reason(error))
        }
    }

    /// Moves `entries` back from `staging` to `target`, last first. Returns "" when all went back, else a sentence
    /// saying where the rest are.
    static func moveBack(_ entries: [String], from staging: String, to target: String) -> String {
        var stranded: [String] = []
        for entry in entries.reversed() {
            do throws(SystemCallError) {
                try moveWithoutReplacing(staging + "/" + entry, to: target + "/" + entry)
            } catch {
                stranded.append("\(entry) (\(error.reason))")
            }
        }
        return stranded.isEmpty ? "" : "These could not be moved back and are kept in \(staging): \(stranded.sorted().joined(separator: ", ")). "
    }

    /// Removes a staging folder that holds `produced` files; returns "" when it is gone, else a sentence saying what
    /// keeps it.
    static func discardStaging(_ staging: String, produced: Set<String>) -> String {
        let left = removeOnly(produced, from: staging)
        return left.isEmpty ? "" : " The staging folder \(staging) was kept; it still holds \(left.joined(separator: ", "))."
    }

    /// Removes the files `listed` (relative paths) under `root`, then every folder left empty, `root` included.
    /// Returns what is left. Files are unlinked one by one and folders removed only when empty, so nothing that is
    /// not listed can go, whatever the folder holds.
    static func removeOnly(_ listed: Set<String>, from root: String) -> [String] {
        var left: [String] = []
        if clear("", root: root, listed: listed, left: &left), rmdir(root) != 0 {
            left.append("\(root) (\(SystemCallError.current().reason))")
        }
        return left
    }

    /// Removes what `removeOnly` may under `root/relative`; returns whether the folder is now empty.
    private static func clear(_ relative: String, root: String, listed: Set<String>, left: inout [String]) -> Bool {
        let folder = relative.isEmpty ? root : root + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            left.append("\(folder) (\(reason(error)))")
            return false
        }
        var empty = true
        for name in names.sorted() {
            let entry = relative.isEmpty ? name : relative + "/" + name
            let full = root + "/" + entry
            if isDirectory(full) {
                if clear(entry, root: root, listed: listed, left: &left) {
                    if rmdir(full) == 0 { continue }
                    left.append("\(entry) (\(SystemCallError.current().reason))")
                }
            } else if listed.contains(entry) {
                if unlink(full) == 0 { continue }
                left.append("\(entry) (\(SystemCallError.current().reason))")
            } else {
                left.append(entry)
            }
            empty = false
        }
        return empty
    }
}

// MARK: - Paths

extension OutputDirectory {
    /// The real path of the nearest existing ancestor of `path` (itself included), and the components below it
    /// that do not exist.
    static func resolve(_ path: String) -> (existing: String, missing: [String]) {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var components = absolute.split(separator: "/").map(String.init)
        var missing: [String] = []
        while true {
            if let real = realpath("/" + components.joined(separator: "/"), nil) {
                defer { free(real) }
                return (String(cString: real), missing)
            }
            guard let last = components.popLast() else { return ("/", missing) }
            missing.insert(last, at: 0)
        }
    }

    /// The folder part and the last component of a path, by hand: corelibs Foundation's
    /// `NSString.deletingLastPathComponent` traps on a one-character path such as "x" (Swift 6.3.1, Linux).
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty && path.hasPrefix("/") ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// Whether `inner` lies below `outer` (both real paths).
    static func isInside(_ inner: String, _ outer: String) -> Bool {
        outer == "/" ? inner != "/" : inner.hasPrefix(outer + "/")
    }

    /// The type bits of `path` itself (a symbolic link is not followed), or nil when nothing is there.
    private static func fileType(_ path: String) -> mode_t? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return info.st_mode & mode_t(S_IFMT)
    }

    static func isDirectory(_ path: String) -> Bool { fileType(path) == mode_t(S_IFDIR) }
    static func exists(_ path: String) -> Bool { fileType(path) != nil }

    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
