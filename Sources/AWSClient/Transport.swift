public import Foundation

/// An HTTP request as the AWS wire protocols need it: method, URL, headers, body.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: URL
    /// Header names as sent; look-ups are case-insensitive through `header(_:)`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, url: URL, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    public static func == (lhs: HTTPRequest, rhs: HTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.url == rhs.url && lhs.body == rhs.body
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(url)
        hasher.combine(body)
    }
}

/// An HTTP response: status, headers, body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }
}

/// Header names are ASCII tokens; comparing bytes with ASCII case folding avoids Foundation's locale-aware compare,
/// which dominated the simulator's profile.
func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    // ASCII folding keeps byte lengths, so different lengths never match (and most names differ in length).
    guard a.utf8.count == b.utf8.count else { return false }
    if let equal = a.utf8.withContiguousStorageIfAvailable({ x in
        b.utf8.withContiguousStorageIfAvailable { y -> Bool in
            for index in 0..<x.count {
                let lx = x[index] >= 65 && x[index] <= 90 ? x[index] | 0x20 : x[index]
                let ly = y[index] >= 65 && y[index] <= 90 ? y[index] | 0x20 : y[index]
                if lx != ly { return false }
            }
            return true
        }
    }), let equal {
        return equal
    }
    var left = a.utf8.makeIterator()
    var right = b.utf8.makeIterator()
    while true {
        switch (left.next(), right.next()) {
        case (nil, nil): return true
        case let (x?, y?):
            let lx = (65...90).contains(x) ? x | 0x20 : x
            let ly = (65...90).contains(y) ? y | 0x20 : y
            if lx != ly { return false }
        default: return false
        }
    }
}

/// Sends one request and returns its response. URLSession in real use; the simulator in tests.
public protocol Transport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}
