import AWSClient
import AWSMock
import Foundation
import FuzzDriver
import HTTPTypes
import Hummingbird
import Model
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import Server

let model = try! ModelLoader.load(contentDirectory: "content")
let now = Date(timeIntervalSince1970: 1_767_225_600)
/// Made once: it resolves the whole model (every step, every requirement), the same for every input; each input
/// still gets a simulator of its own.
let authorizer = ModelAuthorizer(model: model)

/// What `trustflow mock` does with the bytes of a connection: Hummingbird's HTTP/1.1 pipeline (NIO's decoder with
/// pipelining, then the HTTP types codec) turns them into requests; each becomes the plain request the endpoint
/// answers, through the simulator, and its answer goes back out through the same pipeline. The first byte's low bit
/// re-signs each request with the function's session (so that the fuzzer reaches the services behind the signature
/// check), the rest of the byte splits the input into two reads. A decoding error ends the connection, as it does in
/// the server (which answers 400 first). Every answer must be an HTTP status below 500 with a body if it is an error.
func fuzzMockHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 1 else { return 0 }
    let resign = data[0] & 1 == 1
    let split = min(Int(data[0] >> 1) * 8, size - 1)
    let bytes = UnsafeBufferPointer(start: data + 1, count: size - 1)

    let simulator = AWSSimulator(model: model, authorizer: authorizer, clock: { now }, recordsRequests: false)
    let endpoint = SimulatorEndpoint(simulator: simulator)
    guard let credentials = try? simulator.credentials(forFunction: "ordersFunction") else { fatalError("the default content has no ordersFunction") }

    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish() }
    do {
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
            withPipeliningAssistance: true, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: NIOHTTPDecoderLimitConfiguration())
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
    } catch {
        fatalError("the HTTP pipeline cannot be set up: \(error)")
    }

    var head: HTTPTypes.HTTPRequest?
    var body = ByteBuffer()
    func drain() throws {
        while let part = try channel.readInbound(as: HTTPRequestPart.self) {
            switch part {
            case let .head(value):
                head = value
                body.clear()
            case var .body(chunk):
                body.writeBuffer(&chunk)
            case .end:
                guard let current = head else { fatalError("a request ended that never began") }
                head = nil
                var request = LoopbackServer.request(Request(head: current, body: RequestBody(buffer: body)), body: body)
                if resign { request = signed(request, with: credentials) }
                let answer = endpoint.answer(request)
                precondition((200..<500).contains(answer.status), "status \(answer.status) for \(request.method) \(request.target)")
                precondition(answer.status < 300 || !answer.body.isEmpty, "an error without a body")
                let response = LoopbackServer.response(answer)
                try channel.writeOutbound(HTTPResponsePart.head(response.head))
                try channel.writeOutbound(HTTPResponsePart.body(ByteBuffer(bytes: answer.body)))
                try channel.writeOutbound(HTTPResponsePart.end(nil))
                while (try? channel.readOutbound(as: IOData.self)) != nil {}
            }
        }
    }
    do {
        try channel.writeInbound(ByteBuffer(bytes: bytes[..<split]))
        try drain()
        try channel.writeInbound(ByteBuffer(bytes: bytes[split...]))
        try drain()
    } catch {
        // Malformed HTTP: the server's parser refuses it before any handler runs.
    }
    return 0
}

/// The request as a client holding the function's session would have signed it (for the service its target names).
func signed(_ request: ServerRequest, with credentials: AWSCredentials) -> ServerRequest {
    let host = request.header("host") ?? "127.0.0.1"
    let target = request.target.hasPrefix("/") ? request.target : "/" + request.target
    guard let url = URL(string: "http://\(host)\(target)") else { return request }
    let kept = request.headers.filter { header in
        !["authorization", "x-amz-date", "x-amz-security-token", "host"].contains(header.name.lowercased())
    }
    let service = request.header("x-amz-target") == nil ? "sts" : "dynamodb"
    let plain = AWSClient.HTTPRequest(method: request.method, url: url, headers: kept, body: request.body)
    let signed = SigV4Signer(credentials: credentials, region: model.region, service: service).sign(plain, at: now)
    var headers = signed.headers
    if !headers.contains(where: { $0.name.lowercased() == "host" }) { headers.append((name: "Host", value: host)) }
    return ServerRequest(method: request.method, target: target, headers: headers, body: signed.body)
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzMockHTTP))
