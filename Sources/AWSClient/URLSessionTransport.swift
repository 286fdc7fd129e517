#if canImport(FoundationNetworking)
    import Foundation
    public import FoundationNetworking
#else
    public import Foundation
#endif

/// The transport for real AWS: one `URLSession` data task per request. Refuses anything but `http`/`https`.
public struct URLSessionTransport: Transport {
    public let session: URLSession

    public init(session: URLSession = .shared) {
        self.session = session
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let scheme = request.url.scheme?.lowercased()
        guard scheme == "http" || scheme == "https", request.url.host != nil else {
            throw AWSError(
                kind: .invalidConfiguration, code: AWSError.Code.invalidEndpoint,
                message: "endpoint \(request.url.absoluteString) must be an http:// or https:// URL with a host"
            )
        }
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        for header in request.headers where header.name.lowercased() != "host" {
            urlRequest.addValue(header.value, forHTTPHeaderField: header.name)
        }
        if !request.body.isEmpty { urlRequest.httpBody = Data(request.body) }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: urlRequest)
        } catch {
            throw AWSError(
                kind: .transport, code: AWSError.Code.transport,
                message: "no answer from \(request.url.absoluteString): \(error.localizedDescription)"
            )
        }
        guard let http = response as? HTTPURLResponse else {
            throw AWSError(kind: .transport, code: AWSError.Code.transport, message: "\(request.url.absoluteString) did not answer over HTTP")
        }
        var headers: [(name: String, value: String)] = []
        for (name, value) in http.allHeaderFields {
            headers.append((name: "\(name)", value: "\(value)"))
        }
        headers.sort { $0.name.lowercased() < $1.name.lowercased() }
        return HTTPResponse(status: http.statusCode, headers: headers, body: Array(data))
    }
}
