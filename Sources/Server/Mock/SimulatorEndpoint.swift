public import AWSMock
import AWSClient
import Foundation

/// The simulator as an HTTP endpoint: every request goes to `AWSSimulator.handle` exactly as the wire carried it
/// (method, target, headers with `Host`, body), and its answer goes back as is. Every service shares the one port;
/// the simulator routes each request as AWS's endpoints do. Nothing here decides anything.
public struct SimulatorEndpoint: RequestHandler {
    public let simulator: AWSSimulator
    /// SDKs send every request to the same few addresses (`http://127.0.0.1:4566/`): each is parsed once.
    private let urls = URLCache()

    public init(simulator: AWSSimulator) {
        self.simulator = simulator
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        answer(request)
    }

    /// The answer without suspending: all of it is synchronous work (the HTTP fuzz target calls it directly).
    package func answer(_ request: ServerRequest) -> ServerResponse {
        let host = request.header("host") ?? "127.0.0.1"
        let target = request.target.hasPrefix("/") ? request.target : "/" + request.target
        guard let url = urls.url("http://\(host)\(target)") else {
            return .text(400, "Bad Request: the request target cannot be read")
        }
        let answer = simulator.handle(AWSClient.HTTPRequest(method: request.method, url: url, headers: request.headers, body: request.body))
        return ServerResponse(status: answer.status, headers: answer.headers, body: answer.body)
    }
}

/// Parsed URLs by their text; bounded, thread-safe.
private final class URLCache: @unchecked Sendable {
    private let lock = NSLock()
    private var parsed: [String: URL] = [:]

    func url(_ text: String) -> URL? {
        lock.lock()
        if let found = parsed[text] {
            lock.unlock()
            return found
        }
        lock.unlock()
        guard let url = URL(string: text) else { return nil }
        lock.lock()
        if parsed.count >= 256 { parsed.removeAll(keepingCapacity: true) }
        parsed[text] = url
        lock.unlock()
        return url
    }
}
