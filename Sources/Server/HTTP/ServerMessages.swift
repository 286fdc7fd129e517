/// One HTTP request as a handler sees it: the body collected, the `Host` header present (HTTP/1.1's authority), header
/// names as the client sent them. Plain values, so that a handler is tested without a socket.
public struct ServerRequest: Sendable {
    public var method: String
    /// The request target: path and query, as sent (`/`, `/guide.html?x=1`).
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, target: String, headers: [(name: String, value: String)], body: [UInt8]) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The first header of that name, compared without ASCII case (header names are ASCII tokens).
    public func header(_ name: String) -> String? {
        headers.first { candidate in
            candidate.name.utf8.count == name.utf8.count
                && zip(candidate.name.utf8, name.utf8).allSatisfy { ($0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0) == ($1 >= 65 && $1 <= 90 ? $1 | 0x20 : $1) }
        }?.value
    }
}

/// One HTTP response. `Date` and `Content-Length` are the server's to add.
public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// A streamed body instead of `body` (server-sent events): chunks are written as the sequence yields them, and
    /// the response ends when it finishes or the client goes away.
    public var events: (@Sendable () -> AsyncStream<[UInt8]>)?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text answer (the server's own errors: a body too large, a handler that failed).
    public static func text(_ status: Int, _ text: String) -> ServerResponse {
        ServerResponse(status: status, headers: [(name: "Content-Type", value: "text/plain; charset=utf-8")], body: Array((text + "\n").utf8))
    }
}

/// What a server serves: one request in, one response out. The mock's endpoint is one; the site preview another.
public protocol RequestHandler: Sendable {
    func respond(to request: ServerRequest) async -> ServerResponse
}
