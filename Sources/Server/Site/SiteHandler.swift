import Foundation

/// `trustflow serve`'s handler: the files of one folder (the built site) for GET and HEAD, with the live-reload
/// script added to every HTML page as it is served (the files on disk never hold it), and the endpoints that script
/// uses: `/_trustflow/events` (server-sent events, see `LiveReload`) and `/_trustflow/live.js`.
public struct SiteHandler: RequestHandler {
    public let root: String
    public let live: LiveReload

    public static let eventsPath = "/_trustflow/events"
    public static let scriptPath = "/_trustflow/live.js"

    public init(root: String, live: LiveReload) {
        self.root = (root as NSString).standardizingPath
        self.live = live
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            var response = ServerResponse.text(405, "Method Not Allowed: only GET and HEAD")
            response.headers.append((name: "Allow", value: "GET, HEAD"))
            return response
        }
        var response = file(request.target)
        if request.method == "HEAD" { response.body = [] ; response.events = nil }
        return response
    }

    /// The answer for a request target, without the HEAD rule.
    func file(_ target: String) -> ServerResponse {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if path == Self.eventsPath {
            var response = ServerResponse(status: 200, headers: [
                (name: "Content-Type", value: "text/event-stream; charset=utf-8"), (name: "Cache-Control", value: "no-store"),
            ])
            let live = self.live
            response.events = { live.events() }
            return response
        }
        if path == Self.scriptPath {
            return ServerResponse(status: 200, headers: Self.headers("text/javascript; charset=utf-8"), body: Array(LiveReload.script.utf8))
        }
        guard path.hasPrefix("/"), let decoded = path.removingPercentEncoding, !decoded.contains("\0") else {
            return .text(400, "Bad Request: the request target cannot be read")
        }
        let segments = decoded.split(separator: "/")
        // No way out of the root, and nothing hidden (the manifest, editor files).
        guard !segments.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return .text(404, "Not Found") }
        var file = ([root] + segments.map(String.init)).joined(separator: "/")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue {
            file += "/index.html"
        }
        guard let data = FileManager.default.contents(atPath: file) else { return .text(404, "Not Found: \(decoded)") }
        let type = Self.contentType(file)
        var body = Array(data)
        if type.hasPrefix("text/html") { body = Self.injectingLiveReload(body) }
        return ServerResponse(status: 200, headers: Self.headers(type), body: body)
    }

    static func headers(_ type: String) -> [(name: String, value: String)] {
        [(name: "Content-Type", value: type), (name: "Cache-Control", value: "no-store"), (name: "X-Content-Type-Options", value: "nosniff")]
    }

    /// The page with `<script src="/_trustflow/live.js">` before `</head>`, and its Content-Security-Policy (which
    /// allows nothing but the site's own files) also allowing the event stream from the same origin.
    static func injectingLiveReload(_ page: [UInt8]) -> [UInt8] {
        var text = String(decoding: page, as: UTF8.self)
        if let policy = text.range(of: "http-equiv=\"Content-Security-Policy\" content=\"") {
            text.insert(contentsOf: "connect-src &#39;self&#39;; ", at: policy.upperBound)
        }
        let tag = "<script src=\"\(scriptPath)\" defer></script>\n"
        if let head = text.range(of: "</head>") {
            text.insert(contentsOf: tag, at: head.lowerBound)
        } else {
            text = tag + text
        }
        return Array(text.utf8)
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "pdf": "application/pdf"
        case "json": "application/json"
        case "md", "txt", "swift", "py": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
