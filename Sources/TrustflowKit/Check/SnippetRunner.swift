internal import Foundation
public import Model
internal import Render
public import Resolution

/// `trustflow check --run-snippets`: generates a content's snippet package into a temporary folder, builds it with
/// `swift build`, and runs each option's generated tests (the snippet against the AWS simulator loaded with the
/// content, plus its broken variants) with `swift test`.
public struct SnippetRunner: Sendable {
    /// One option's outcome.
    public struct Result: Sendable, Hashable {
        public var option: String
        public var ok: Bool
        /// What `swift test` printed for this option (its tail, when long).
        public var output: String
        /// Why it failed, when it did.
        public var error: String?
    }

    /// The Trustflow checkout the generated `Package.swift` depends on (absolute).
    public var trustflowPath: String
    /// Where SwiftPM keeps its build products between runs (so the AWS client and swift-crypto compile once).
    public var scratchPath: String
    /// The `swift` driver.
    public var swift: String

    public init(trustflowPath: String, scratchPath: String, swift: String = "swift") {
        self.trustflowPath = trustflowPath
        self.scratchPath = scratchPath
        self.swift = swift
    }

    /// The Trustflow checkout holding `executablePath` (`<checkout>/.build/debug/trustflow`), else the one holding
    /// the current folder: the nearest folder upwards whose `Package.swift` declares the package "Trustflow".
    public static func findCheckout(executablePath: String?, currentDirectory: String) -> String? {
        for start in [executablePath.map { ($0 as NSString).deletingLastPathComponent }, currentDirectory].compactMap({ $0 }) {
            var folder = URL(fileURLWithPath: start).standardizedFileURL.resolvingSymlinksInPath()
            while true {
                let manifest = folder.appendingPathComponent("Package.swift")
                if let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"Trustflow\"") {
                    return folder.path
                }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return nil
    }

    /// What a run has under way, so that a deadline can stop it: the `swift` process it waits for and the temporary
    /// package it generated.
    public final class Activity: @unchecked Sendable {
        private let lock = NSLock()
        private var process: Process?
        private var package: URL?
        private var stopped = false

        public init() {}

        func started(_ process: Process) -> Bool {
            lock.lock()
            defer { lock.unlock() }
            self.process = process
            return !stopped
        }

        func finished() {
            lock.lock()
            defer { lock.unlock() }
            process = nil
        }

        func uses(_ package: URL) {
            lock.lock()
            defer { lock.unlock() }
            self.package = package
        }

        /// Interrupts the running `swift` (SIGINT, as Ctrl-C does: SwiftPM stops its compilers and test processes)
        /// and removes the temporary package. No process is started after this.
        public func stop() {
            lock.lock()
            defer { lock.unlock() }
            stopped = true
            if let process, process.isRunning {
                process.interrupt()
                process.waitUntilExit()
            }
            if let package { try? FileManager.default.removeItem(at: package) }
        }
    }

    /// Generates, builds and tests; `progress` hears each phase ("building…", "trusted-role: ok"); `activity`, when
    /// given, can stop the run from another thread.
    public func run(
        _ model: Model, resolution: ModelResolution, progress: @Sendable (String) -> Void = { _ in }, activity: Activity = Activity()
    ) throws -> [Result] {
        let fm = FileManager.default
        let content = URL(fileURLWithPath: model.contentDirectory).standardizedFileURL.path
        let package = fm.temporaryDirectory.appendingPathComponent("trustflow-snippets-\(UInt64.random(in: 0...UInt64.max))")
        activity.uses(package)
        defer { try? fm.removeItem(at: package) }
        // Relative paths, as `build` writes them for an output folder anywhere: the package is outside the checkout.
        let location = SnippetLocation.forPackage(package.path, content: content, trustflowCheckout: trustflowPath)
        for file in Snippets.package(model, resolution: resolution, location: location) {
            let url = package.appendingPathComponent(file.path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.bytes).write(to: url)
        }
        let common = ["--package-path", package.path, "--scratch-path", scratchPath]
        progress("building the snippet package (\(package.path)) with swift build…")
        let build = try Self.execute(swift, ["build", "--build-tests"] + common, activity: activity)
        let names = Snippets.names(model)
        guard build.status == 0 else {
            let tail = Self.tail(build.output)
            return names.map { Result(option: $0.product, ok: false, output: tail, error: "swift build failed (exit \(build.status))") }
        }
        var results: [Result] = []
        for name in names {
            progress("\(name.product): swift test…")
            let test = try Self.execute(swift, ["test", "--skip-build"] + common + ["--filter", "SnippetTests.\(name.module)Tests/"], activity: activity)
            let output = Self.tail(test.output)
            let ranNothing = Self.testsRun(test.output) == 0
            let ok = test.status == 0 && !ranNothing
            let error = ok ? nil : (ranNothing ? "swift test ran no test of \(name.module)Tests" : "swift test failed (exit \(test.status))")
            results.append(Result(option: name.product, ok: ok, output: output, error: error))
            progress("\(name.product): \(ok ? "ok" : error ?? "failed")")
        }
        return results
    }

    /// How many tests Swift Testing says it ran ("Test run with 3 tests in 1 suite passed"); 0 when it ran none.
    static func testsRun(_ output: String) -> Int {
        var total = 0
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: "Test run with ") else { continue }
            let count = line[range.upperBound...].prefix { $0.isNumber }
            total += Int(count) ?? 0
        }
        return total
    }

    /// Runs a program found on PATH, returning its exit status and its standard output and error, interleaved.
    static func execute(_ program: String, _ arguments: [String], activity: Activity = Activity()) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard activity.started(process) else {
            process.interrupt()
            process.waitUntilExit()
            throw CocoaError(.userCancelled)
        }
        defer { activity.finished() }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The last 60 lines: enough to show a failing expectation or compiler error without the whole log.
    static func tail(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.suffix(60).joined(separator: "\n")
    }
}
