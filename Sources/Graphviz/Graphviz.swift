internal import CGraphviz
internal import Foundation

/// Renders DOT text with libgvc, in-process. The only Swift code that touches Graphviz's C pointers.
///
/// Graphviz keeps global state (error level, error callback, plugin tables), so every call is serialized
/// through one lock, and every C object is freed before the call returns.
public enum Graphviz {
    /// Output formats that Trustflow uses; raw values are Graphviz's format names.
    public enum Format: String, Sendable, CaseIterable {
        case svg
        case png
        case pdf
        /// Graphviz's own DOT with layout positions (`-Tdot`), handy for debugging.
        case layoutDOT = "dot"
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var stage: String
        /// Graphviz's own message(s), as it printed them.
        public var message: String
        public var description: String { "Graphviz \(stage) failed: \(message)" }
    }

    private static let lock = NSLock()

    /// Lays `dot` out with the `dot` engine and renders it to `format`.
    public static func render(dot: String, format: Format, engine: String = "dot") throws(Failure) -> [UInt8] {
        try render(dot: dot, formats: [format], engine: engine)[0]
    }

    /// Lays the graph out once and renders it to every format in `formats`, in order.
    public static func render(dot: String, formats: [Format], engine: String = "dot") throws(Failure) -> [[UInt8]] {
        lock.lock()
        defer { lock.unlock() }
        ErrorSink.reset()
        let previousHandler = agseterrf(ErrorSink.handler)
        defer { agseterrf(previousHandler) }
        let previousLevel = agseterr(AGWARN)
        defer { agseterr(previousLevel) }

        guard let context = gvContext() else { throw Failure(stage: "start", message: "gvContext returned no context") }
        defer { gvFreeContext(context) }

        guard let graph = dot.withCString({ agmemread($0) }) else {
            throw Failure(stage: "parse", message: ErrorSink.text(or: "the DOT text could not be parsed"))
        }
        defer { agclose(graph) }

        guard gvLayout(context, graph, engine) == 0 else {
            throw Failure(stage: "layout", message: ErrorSink.text(or: "layout engine '\(engine)' failed"))
        }
        defer { gvFreeLayout(context, graph) }

        var outputs: [[UInt8]] = []
        for format in formats {
            var data: UnsafeMutablePointer<CChar>?
            var length = RenderLength()
            let status = gvRenderData(context, graph, format.rawValue, &data, &length)
            defer { if let data { gvFreeRenderData(data) } }
            guard status == 0, let data, length > 0 else {
                throw Failure(stage: "render (\(format.rawValue))", message: ErrorSink.text(or: "no output was produced"))
            }
            outputs.append(data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) })
        }
        return outputs
    }

    /// Warnings Graphviz printed during the last successful call (for tests and `--verbose`).
    public static var lastWarnings: String {
        lock.lock()
        defer { lock.unlock() }
        return ErrorSink.text(or: "")
    }
}

/// `gvRenderData`'s length parameter: `unsigned int` in Graphviz 2.43, `size_t` from Graphviz 13 on.
/// This is the one place that knows.
typealias RenderLength = UInt32

/// Collects what Graphviz reports through its error callback instead of letting it print to stderr.
/// Only touched while `Graphviz.lock` is held.
private enum ErrorSink {
    nonisolated(unsafe) static var buffer = ""

    static let handler: agusererrf = { message in
        if let message { ErrorSink.buffer += String(cString: message) }
        return 0
    }

    static func reset() { buffer = "" }

    static func text(or fallback: String) -> String {
        let trimmed = buffer.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? fallback : trimmed
    }
}
