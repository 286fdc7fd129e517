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

    /// One requested output: a format, and for raster formats a scale over Graphviz's 96 dpi.
    public struct Output: Sendable, Hashable {
        public var format: Format
        /// Multiplies the resolution of raster output (`png`): 2 gives 192 dpi, crisp on a projector.
        /// Vector formats (svg, pdf, dot) are always rendered at scale 1.
        public var scale: Int

        public init(_ format: Format, scale: Int = 1) {
            self.format = format
            self.scale = format == .png ? max(1, scale) : 1
        }
    }

    /// What one call produced: the bytes of every output, in order, and what Graphviz, cairo and Pango reported on
    /// the way (nothing is printed to the terminal; the caller says which diagram each warning is about).
    public struct Rendering: Sendable {
        public var outputs: [[UInt8]]
        public var warnings: [String]
    }

    /// The largest raster Trustflow draws. cairo cannot make an image wider or taller than 32,767 pixels (Graphviz
    /// then squeezes the drawing to fit, into a few pixels of blur), and an image of that size would take gigabytes;
    /// a drawing larger than this is drawn at a lower resolution, with a warning, down to `minimumDPI`, and below
    /// that it is an error.
    public struct RasterLimit: Sendable, Hashable {
        public var maximumSide = 16_384
        public var maximumPixels = 32 << 20
        /// A quarter of Graphviz's 96 dpi: below it, text is no longer legible.
        public var minimumDPI = 24.0

        public init() {}
        public static let standard = RasterLimit()
    }

    /// Lays `dot` out with the `dot` engine and renders it to `format`.
    public static func render(dot: String, format: Format, engine: String = "dot") throws(Failure) -> [UInt8] {
        try render(dot: dot, outputs: [Output(format)], engine: engine)[0]
    }

    /// Lays the graph out once and renders it to every format in `formats`, in order.
    public static func render(dot: String, formats: [Format], engine: String = "dot") throws(Failure) -> [[UInt8]] {
        try render(dot: dot, outputs: formats.map { Output($0) }, engine: engine)
    }

    /// The outputs of `rendering`, for callers that have no use for the warnings (tests of the bytes).
    public static func render(dot: String, outputs: [Output], engine: String = "dot", aspectRatio: Double? = nil) throws(Failure) -> [[UInt8]] {
        try rendering(dot: dot, outputs: outputs, engine: engine, aspectRatio: aspectRatio).outputs
    }

    /// Parses `dot` once and renders every output, in order. Outputs that share a scale share one layout;
    /// a scaled raster output gets its own layout at `96 × scale` dpi (Graphviz reads `dpi` when it lays out).
    ///
    /// The bytes are deterministic: cairo 1.16 stamps PDFs with the current time and ignores
    /// `SOURCE_DATE_EPOCH`, so the creation date is rewritten to a fixed one (see `fixPDFDate`).
    ///
    /// `aspectRatio` (width / height, e.g. 16/9 for a slide): the canvas is padded so that the whole drawing, padding
    /// included, has exactly this shape; the graph's own `pad` is the least padding on every side.
    ///
    /// A raster larger than `rasterLimit` is drawn at a lower resolution (a warning says so), or fails when even
    /// `minimumDPI` is too large. Messages of Graphviz, and of Pango and cairo through GLib's log, are returned as
    /// warnings instead of reaching the terminal.
    public static func rendering(
        dot: String, outputs: [Output], engine: String = "dot", aspectRatio: Double? = nil, rasterLimit: RasterLimit = .standard
    ) throws(Failure) -> Rendering {
        lock.lock()
        defer { lock.unlock() }
        ErrorSink.reset()
        let previousHandler = agseterrf(ErrorSink.handler)
        defer { agseterrf(previousHandler) }
        let previousLevel = agseterr(AGWARN)
        defer { agseterr(previousLevel) }
        let previousLog = tf_glog_install(ErrorSink.glibHandler)
        defer { if let previousLog { _ = tf_glog_install(previousLog) } }

        guard let context = gvContext() else { throw Failure(stage: "start", message: "gvContext returned no context") }
        defer { gvFreeContext(context) }

        // `tf_memread`: agmemread with ids in creation order, so cluster order (and the bytes) never depend on malloc.
        guard let graph = dot.withCString({ tf_memread($0) }) else {
            throw Failure(stage: "parse", message: ErrorSink.text(or: "the DOT text could not be parsed"))
        }
        defer { agclose(graph) }

        if let aspectRatio, aspectRatio > 0 {
            try fit(graph, context: context, engine: engine, aspectRatio: aspectRatio)
        }
        let originalDPI = attribute(graph, "dpi")
        var results = [[UInt8]?](repeating: nil, count: outputs.count)
        var scales: [Int] = []
        var notes: [String] = []
        for output in outputs where !scales.contains(output.scale) { scales.append(output.scale) }

        for scale in scales {
            var dpi = scale == 1 ? originalDPI : String(96 * scale)
            if scale != 1 || !originalDPI.isEmpty {
                setAttribute(graph, "dpi", dpi)
            }
            guard gvLayout(context, graph, engine) == 0 else {
                throw Failure(stage: "layout", message: ErrorSink.text(or: "layout engine '\(engine)' failed"))
            }
            // A raster this layout would make too large is laid out again at the resolution that fits.
            if outputs.contains(where: { $0.scale == scale && $0.format == .png }) {
                let requested = Double(dpi) ?? 96
                let size = pixelSize(graph, dpi: requested)
                if let fitting = fittingDPI(size, dpi: requested, limit: rasterLimit) {
                    gvFreeLayout(context, graph)
                    guard fitting >= rasterLimit.minimumDPI else {
                        throw Failure(
                            stage: "render (png)",
                            message: "the drawing would be \(size.width)×\(size.height) pixels at \(Int(requested)) dpi; even at \(Int(rasterLimit.minimumDPI)) dpi it exceeds \(rasterLimit.maximumSide) pixels per side or \(rasterLimit.maximumPixels >> 20) megapixels (cairo cannot draw more than 32,767 per side): make the drawing smaller")
                    }
                    dpi = String(format: "%.2f", fitting)
                    setAttribute(graph, "dpi", dpi)
                    guard gvLayout(context, graph, engine) == 0 else {
                        throw Failure(stage: "layout", message: ErrorSink.text(or: "layout engine '\(engine)' failed"))
                    }
                    let drawn = pixelSize(graph, dpi: fitting)
                    notes.append(
                        "the PNG would be \(size.width)×\(size.height) pixels at \(Int(requested)) dpi, more than \(rasterLimit.maximumSide) per side or \(rasterLimit.maximumPixels >> 20) megapixels; drawn at \(Int(fitting)) dpi instead (\(drawn.width)×\(drawn.height) pixels); the SVG and PDF are full size")
                }
            }
            defer { gvFreeLayout(context, graph) }
            for (position, output) in outputs.enumerated() where output.scale == scale {
                var data: UnsafeMutablePointer<CChar>?
                var length = RenderLength()
                let status = gvRenderData(context, graph, output.format.rawValue, &data, &length)
                defer { if let data { gvFreeRenderData(data) } }
                guard status == 0, let data, length > 0 else {
                    throw Failure(stage: "render (\(output.format.rawValue))", message: ErrorSink.text(or: "no output was produced"))
                }
                var bytes = data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) { Array(UnsafeBufferPointer(start: $0, count: Int(length))) }
                if output.format == .pdf { fixPDFDate(&bytes) }
                results[position] = bytes
            }
        }
        return Rendering(outputs: results.map { $0 ?? [] }, warnings: notes + ErrorSink.lines)
    }

    /// The pixel size of the laid-out graph at `dpi`: its bounding box (points) plus `pad` on every side.
    private static func pixelSize(_ graph: UnsafeMutablePointer<Agraph_t>, dpi: Double) -> (width: Int, height: Int) {
        let box = attribute(graph, "bb").split { $0 == " " || $0 == "," }.compactMap { Double($0) }
        guard box.count == 4 else { return (0, 0) }
        let pad = attribute(graph, "pad").split(separator: ",").compactMap { Double($0) }
        let padX = (pad.first ?? 0.0555) * 72, padY = (pad.count > 1 ? pad[1] : pad.first ?? 0.0555) * 72
        let width = ((box[2] - box[0]) + 2 * padX) * dpi / 72, height = ((box[3] - box[1]) + 2 * padY) * dpi / 72
        // Clamped so that absurd drawings still give a number to print.
        return (Int(min(width.rounded(.up), 1e12)), Int(min(height.rounded(.up), 1e12)))
    }

    /// The resolution at which a drawing of `size` pixels at `dpi` fits `limit`, or `nil` when it fits already.
    package static func fittingDPI(_ size: (width: Int, height: Int), dpi: Double, limit: RasterLimit) -> Double? {
        let width = Double(size.width), height = Double(size.height)
        guard width > Double(limit.maximumSide) || height > Double(limit.maximumSide) || width * height > Double(limit.maximumPixels) else { return nil }
        let factor = min(Double(limit.maximumSide) / max(width, 1), Double(limit.maximumSide) / max(height, 1), (Double(limit.maximumPixels) / max(width * height, 1)).squareRoot())
        // A little under, so that rounding up the pixel size stays within the limit.
        return (dpi * factor * 0.98 * 100).rounded(.down) / 100
    }

    /// The size in points of the drawing Graphviz lays `dot` out to (its bounding box, padding not included): what a
    /// renderer compares when it chooses between layouts.
    public static func layoutSize(dot: String, engine: String = "dot") throws(Failure) -> (width: Double, height: Double) {
        lock.lock()
        defer { lock.unlock() }
        ErrorSink.reset()
        let previousHandler = agseterrf(ErrorSink.handler)
        defer { agseterrf(previousHandler) }
        let previousLevel = agseterr(AGWARN)
        defer { agseterr(previousLevel) }
        guard let context = gvContext() else { throw Failure(stage: "start", message: "gvContext returned no context") }
        defer { gvFreeContext(context) }
        guard let graph = dot.withCString({ tf_memread($0) }) else {
            throw Failure(stage: "parse", message: ErrorSink.text(or: "the DOT text could not be parsed"))
        }
        defer { agclose(graph) }
        guard gvLayout(context, graph, engine) == 0 else {
            throw Failure(stage: "layout", message: ErrorSink.text(or: "layout engine '\(engine)' failed"))
        }
        let box = attribute(graph, "bb").split { $0 == " " || $0 == "," }.compactMap { Double($0) }
        gvFreeLayout(context, graph)
        guard box.count == 4 else { return (0, 0) }
        return (box[2] - box[0], box[3] - box[1])
    }

    /// Lays the graph out once to learn its size (`bb`, set by `gvLayout`), then sets `pad` so that the drawing
    /// with its padding has the requested aspect ratio. Graphviz's own `ratio` stretches node positions instead, and
    /// with clusters it misses the target.
    private static func fit(_ graph: UnsafeMutablePointer<Agraph_t>, context: OpaquePointer, engine: String, aspectRatio: Double) throws(Failure) {
        guard gvLayout(context, graph, engine) == 0 else {
            throw Failure(stage: "layout", message: ErrorSink.text(or: "layout engine '\(engine)' failed"))
        }
        // `gvLayout` writes "llx lly urx ury" in points (spaces in 2.43; commas in `-Tdot` output).
        let box = attribute(graph, "bb").split { $0 == " " || $0 == "," }.compactMap { Double($0) }
        gvFreeLayout(context, graph)
        guard box.count == 4 else { return }
        let width = box[2] - box[0], height = box[3] - box[1]
        let padValues = attribute(graph, "pad").split(separator: ",").compactMap { Double($0) }
        let least = (padValues.first ?? 0.0555) * 72  // points; Graphviz's default pad is 4 points
        var padX = least, padY = least
        if (width + 2 * least) / (height + 2 * least) > aspectRatio {
            padY = ((width + 2 * least) / aspectRatio - height) / 2
        } else {
            padX = ((height + 2 * least) * aspectRatio - width) / 2
        }
        setAttribute(graph, "pad", String(format: "%.4f,%.4f", padX / 72, padY / 72))
    }

    /// A graph attribute's value, or an empty string when it is not set.
    private static func attribute(_ graph: UnsafeMutablePointer<Agraph_t>, _ name: String) -> String {
        name.withCString { namePointer in
            agget(UnsafeMutableRawPointer(graph), UnsafeMutablePointer(mutating: namePointer)).map { String(cString: $0) } ?? ""
        }
    }

    /// Sets a graph attribute, declaring it with an empty default when the DOT text did not.
    private static func setAttribute(_ graph: UnsafeMutablePointer<Agraph_t>, _ name: String, _ value: String) {
        name.withCString { namePointer in
            value.withCString { valuePointer in
                "".withCString { defaultPointer in
                    _ = agsafeset(
                        UnsafeMutableRawPointer(graph), UnsafeMutablePointer(mutating: namePointer),
                        UnsafeMutablePointer(mutating: valuePointer), UnsafeMutablePointer(mutating: defaultPointer)
                    )
                }
            }
        }
    }

    /// The creation date every PDF carries instead of the time of rendering (`D:19700101000000Z`, the epoch).
    public static let fixedPDFDate = "D:19700101000000Z"

    /// Replaces the value of `/CreationDate (D:…)` (and `/ModDate`) with `fixedPDFDate`, keeping the byte length
    /// when the date has cairo's `D:YYYYMMDDHHMMSSZ` form so that the cross-reference offsets stay valid.
    /// The one place that makes PDFs reproducible.
    static func fixPDFDate(_ bytes: inout [UInt8]) {
        let replacement = Array(fixedPDFDate.utf8)
        for key in ["/CreationDate (", "/ModDate ("] {
            let needle = Array(key.utf8)
            // The info dictionary sits near the end of cairo's PDFs, but search the whole file: it is small.
            var index = 0
            while index + needle.count + replacement.count < bytes.count {
                if bytes[index] == needle[0], Array(bytes[index..<index + needle.count]) == needle {
                    let start = index + needle.count
                    guard let close = bytes[start...].firstIndex(of: UInt8(ascii: ")")) else { break }
                    if close - start == replacement.count {
                        bytes.replaceSubrange(start..<close, with: replacement)
                    }
                    index = close
                } else {
                    index += 1
                }
            }
        }
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

/// Collects what Graphviz reports through its error callback, and what Pango and cairo report through GLib's log,
/// instead of letting either print to stderr. Only touched while `Graphviz.lock` is held.
private enum ErrorSink {
    nonisolated(unsafe) static var buffer = ""
    nonisolated(unsafe) static var glib: [String] = []

    static let handler: agusererrf = { message in
        if let message { ErrorSink.buffer += String(cString: message) }
        return 0
    }

    /// GLib's `GLogFunc`: "Pango-CRITICAL: pango_layout_…: assertion '…' failed". Info and debug messages are dropped.
    static let glibHandler: tf_glog_func = { domain, level, message, _ in
        let levels: [(Int32, String)] = [(1 << 2, "ERROR"), (1 << 3, "CRITICAL"), (1 << 4, "WARNING"), (1 << 5, "Message")]
        guard let name = levels.first(where: { level & $0.0 != 0 })?.1 else { return }
        let text = message.map { String(cString: $0) } ?? ""
        let prefix = domain.map { String(cString: $0) + "-" } ?? ""
        if ErrorSink.glib.count < 20 { ErrorSink.glib.append("\(prefix)\(name): \(text)") }
    }

    static func reset() {
        buffer = ""
        glib = []
    }

    static func text(or fallback: String) -> String {
        let all = (buffer.split(separator: "\n").map(String.init) + glib).joined(separator: "\n")
        let trimmed = all.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? fallback : trimmed
    }

    /// Every message, one per line, each said once.
    static var lines: [String] {
        var seen: Set<String> = []
        return (buffer.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } + glib).filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
