import Foundation
import HTTPTypes
package import Hummingbird
import Logging
package import NIOCore

/// An HTTP/1.1 server on 127.0.0.1 only, over Hummingbird (SwiftNIO): concurrent connections, keep-alive, request
/// bodies up to `maximumBodySize`, malformed HTTP answered `400 Bad Request` (and the connection closed) by the HTTP
/// parser before any handler runs. `run` returns after SIGINT or SIGTERM once the requests in flight are answered,
/// or when its task is cancelled.
public struct LoopbackServer: Sendable {
    /// The port asked for; 0 lets the system pick a free one (`run` reports it when listening).
    public var port: Int
    /// Larger bodies are refused with `413` (DynamoDB's own limit on a request is 16 MB; STS's far less).
    public var maximumBodySize: Int
    public let handler: any RequestHandler

    public init(port: Int = 0, maximumBodySize: Int = 16 << 20, handler: any RequestHandler) {
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.handler = handler
    }

    /// Serves until SIGINT/SIGTERM (`handlingSignals`) or cancellation. `onReady` gets the bound port once the socket
    /// listens: the moment a caller may connect.
    public func run(handlingSignals: Bool = true, onReady: @escaping @Sendable (_ port: Int) async -> Void = { _ in }) async throws {
        let handler = self.handler
        let limit = maximumBodySize
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: limit)
            } catch {
                return Self.response(.text(413, "Request Entity Too Large: at most \(limit) bytes"))
            }
            return Self.response(await handler.respond(to: Self.request(request, body: body)))
        }
        var logger = Logger(label: "trustflow.server")
        // Failures reach the caller as thrown errors; a cancelled shutdown is not one to print.
        logger.logLevel = .critical
        let requestedPort = port
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in await onReady(channel.localAddress?.port ?? requestedPort) },
            logger: logger
        )
        if handlingSignals {
            try await app.runService()
        } else {
            try await app.run()
        }
    }

    /// The plain request: HTTP/1.1's `Host` comes back as a header (HTTP types keep it as the authority).
    package static func request(_ request: Request, body: ByteBuffer) -> ServerRequest {
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(request.headers.count + 1)
        if let authority = request.head.authority { headers.append((name: "Host", value: authority)) }
        for field in request.headers { headers.append((name: field.name.rawName, value: field.value)) }
        return ServerRequest(
            method: request.method.rawValue, target: request.head.path ?? "/", headers: headers,
            body: body.getBytes(at: body.readerIndex, length: body.readableBytes) ?? [])
    }

    package static func response(_ response: ServerResponse) -> Response {
        var fields = HTTPFields()
        for header in response.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            fields.append(HTTPField(name: name, value: header.value))
        }
        if let events = response.events {
            return Response(status: .init(code: response.status), headers: fields, body: ResponseBody { writer in
                for await chunk in events() { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            })
        }
        // An answer to HEAD has no body but tells the length of the GET's (S3's HeadObject): the handler's value stays.
        if !(response.body.isEmpty && fields[.contentLength] != nil) { fields[.contentLength] = String(response.body.count) }
        return Response(
            status: .init(code: response.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: response.body)))
    }
}
