import AWSClient
import AWSMock
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Model
import Server
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Echoes the request so the tests see what a handler receives.
struct Echo: RequestHandler {
    func respond(to request: ServerRequest) async -> ServerResponse {
        ServerResponse(status: 200, headers: [(name: "Content-Type", value: "text/plain")], body: Array("\(request.method) \(request.target) host=\(request.header("host") ?? "-") body=\(request.body.count)".utf8))
    }
}

/// A running server for one test: started on a free loopback port, stopped by cancelling its task.
final class RunningServer: Sendable {
    let port: Int
    let task: Task<Void, any Error>

    init(_ handler: any RequestHandler) async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await LoopbackServer(port: 0, handler: handler).run(handlingSignals: false) { continuation.yield($0) } }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        self.port = port
    }

    /// Stops the server and waits until it has returned.
    func stop() async throws {
        task.cancel()
        _ = await task.result
    }
}

/// Sends raw bytes on one connection and reads until the server closes it or `until` appears.
func exchange(port: Int, _ bytes: String, until marker: String? = nil) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    // Only a guard against a hang: the suite runs in parallel with everything else, so a loaded machine may take long.
    var timeout = timeval(tv_sec: 120, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let data = Array(bytes.utf8)
    _ = data.withUnsafeBytes { send(fd, $0.baseAddress, data.count, 0) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = recv(fd, &buffer, buffer.count, 0)
        if count <= 0 { break }
        received += buffer[0..<count]
        if let marker, String(decoding: received, as: UTF8.self).components(separatedBy: marker).count > 2 { break }
    }
    return String(decoding: received, as: UTF8.self)
}

@Suite struct LoopbackServerTests {
    @Test func servesConcurrentRequestsOverKeepAliveConnections() async throws {
        let server = try await RunningServer(Echo())
        let url = URL(string: "http://127.0.0.1:\(server.port)/path?x=1")!
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    var request = URLRequest(url: url)
                    request.httpMethod = "POST"
                    request.httpBody = Data("hello".utf8)
                    let (data, _) = try await URLSession.shared.data(for: request)
                    return String(decoding: data, as: UTF8.self)
                }
            }
            for try await answer in group { #expect(answer == "POST /path?x=1 host=127.0.0.1:\(server.port) body=5") }
        }
        // Two requests on one connection: keep-alive, both answered.
        let both = try exchange(
            port: server.port, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(both.components(separatedBy: "HTTP/1.1 200").count == 3)
        #expect(both.contains("GET /a host=x") && both.contains("GET /b host=x"))
        try await server.stop()
    }

    @Test func badHTTPIsAnswered400AndTheServerGoesOn() async throws {
        let server = try await RunningServer(Echo())
        for garbage in ["NOT HTTP AT ALL\r\n\r\n", "GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n", "POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n"] {
            let answer = try exchange(port: server.port, garbage)
            #expect(answer.hasPrefix("HTTP/1.1 400"), "\(garbage.debugDescription) → \(answer.debugDescription)")
        }
        let fine = try exchange(port: server.port, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(fine.hasPrefix("HTTP/1.1 200"))
        try await server.stop()
    }

    @Test func theSimulatorAnswersAnSDKOverHTTP() async throws {
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        let model = try ModelLoader.load(contentDirectory: directory.appendingPathComponent("content").path)
        let simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model), recordsRequests: false)
        try simulator.put(["customerId": "customer-1", "orderId": "order-1", "status": "SHIPPED"], inTable: "Orders")
        let server = try await RunningServer(SimulatorEndpoint(simulator: simulator))
        var environment = try simulator.environment(forFunction: "ordersFunction", endpoint: URL(string: "http://127.0.0.1:\(server.port)")!)
        environment["AWS_ENDPOINT_URL"] = "http://127.0.0.1:\(server.port)"
        let aws = try AWSConfiguration.fromEnvironment(environment)
        let identity = try await STS(configuration: aws).getCallerIdentity()
        #expect(identity.arn == "arn:aws:sts::111111111111:assumed-role/LambdaExecutionRole/orders-api")
        let role = AssumedRoleCredentials(sts: STS(configuration: aws), roleARN: "arn:aws:iam::222222222222:role/DynamoDBAccessRole", sessionName: "orders-api")
        let dynamoDB = DynamoDB(configuration: aws.with(credentials: role))
        let item = try await dynamoDB.getItem(table: "Orders", key: ["customerId": "customer-1", "orderId": "order-1"])
        #expect(item?["status"] == .s("SHIPPED"))
        do {
            try await dynamoDB.deleteItem(table: "Orders", key: ["customerId": "customer-1", "orderId": "order-1"])
            Issue.record("DeleteItem was allowed")
        } catch let error as AWSError {
            #expect(error.code == "AccessDeniedException" && error.status == 400)
        }
        try await server.stop()
    }
}
