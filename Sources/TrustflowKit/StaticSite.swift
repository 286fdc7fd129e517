internal import Foundation
#if canImport(Glibc)
internal import Glibc
#endif

/// A minimal HTTP/1.1 file server for previewing `output/site` on 127.0.0.1 (`trustflow serve`): GET and HEAD,
/// one request per connection, files under one root only. Plain sockets; no SwiftNIO.
public final class StaticSite: Sendable {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var reason: String
        public var contentType: String
        public var body: [UInt8]
    }

    public let root: String
    public let port: UInt16
    private let socket: Int32

    /// Binds 127.0.0.1:`port` (0 picks a free port; read `port` afterwards).
    public init(root: String, port: UInt16) throws {
        self.root = (root as NSString).standardizingPath
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServeError("socket() failed: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ServeError("cannot listen on 127.0.0.1:\(port): \(message)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.socket = fd
    }

    deinit { close(socket) }

    /// Accepts and answers connections on a background thread until the process ends.
    public func start() {
        let site = self
        Thread.detachNewThread { site.acceptLoop() }
    }

    private func acceptLoop() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                return
            }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            serve(client)
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while head.count < 16384 {
            let count = recv(client, &buffer, buffer.count, 0)
            if count <= 0 { break }
            head += buffer[0..<count]
            if head.count >= 4, head.suffix(4) == [13, 10, 13, 10] || String(decoding: head, as: UTF8.self).contains("\r\n\r\n") { break }
        }
        let requestLine = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n").first ?? ""
        let parts = requestLine.split(separator: " ")
        let method = parts.first.map(String.init) ?? ""
        let response = respond(method: method, target: parts.count > 1 ? String(parts[1]) : "")
        var out = "HTTP/1.1 \(response.status) \(response.reason)\r\nContent-Type: \(response.contentType)\r\n"
        out += "Content-Length: \(response.body.count)\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
        var bytes = Array(out.utf8)
        if method != "HEAD" { bytes += response.body }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 { return }
            sent += count
        }
    }

    /// The response to `method target`, reading files under `root` only.
    public func respond(method: String, target: String) -> Response {
        guard method == "GET" || method == "HEAD" else { return Self.text(405, "Method Not Allowed", "only GET and HEAD") }
        let pathPart = target.split(separator: "?", maxSplits: 1).first.map(String.init) ?? ""
        guard pathPart.hasPrefix("/"), let decoded = pathPart.removingPercentEncoding, !decoded.contains("\0") else {
            return Self.text(400, "Bad Request", "bad request target")
        }
        let segments = decoded.split(separator: "/")
        guard !segments.contains(where: { $0 == ".." || $0.hasPrefix(".") }) else { return Self.text(404, "Not Found", "not found") }
        var path = ([root] + segments.map(String.init)).joined(separator: "/")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            path += "/index.html"
        }
        guard let data = FileManager.default.contents(atPath: path) else { return Self.text(404, "Not Found", "not found: \(decoded)") }
        return Response(status: 200, reason: "OK", contentType: Self.contentType(path), body: Array(data))
    }

    static func text(_ status: Int, _ reason: String, _ message: String) -> Response {
        Response(status: status, reason: reason, contentType: "text/plain; charset=utf-8", body: Array((message + "\n").utf8))
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
        case "md", "txt", "swift": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}

public struct ServeError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// A cheap fingerprint of a folder tree (paths, sizes, modification times) to notice edits by polling.
public enum FolderFingerprint {
    public static func of(_ folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var entries: [String] = []
        while let relative = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + relative)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries.append("\(relative)\t\(size)\t\(modified)")
        }
        return entries.sorted()
    }
}
