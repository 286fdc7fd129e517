public import AWSMock
import AWSClient
import Foundation

/// The simulator as an HTTP endpoint: every request goes to `AWSSimulator.handle` exactly as the wire carried it
/// (method, target, headers with `Host`, body), and its answer goes back as is. STS and DynamoDB share the one port;
/// the simulator routes each request as AWS's endpoints do. Nothing here decides anything.
public struct SimulatorEndpoint: RequestHandler {
    public let simulator: AWSSimulator

    public init(simulator: AWSSimulator) {
        self.simulator = simulator
    }

    public func respond(to request: ServerRequest) async -> ServerResponse {
        let host = request.header("host") ?? "127.0.0.1"
        let target = request.target.hasPrefix("/") ? request.target : "/" + request.target
        guard let url = URL(string: "http://\(host)\(target)") else {
            return .text(400, "Bad Request: the request target cannot be read")
        }
        let answer = simulator.handle(AWSClient.HTTPRequest(method: request.method, url: url, headers: request.headers, body: request.body))
        return ServerResponse(status: answer.status, headers: answer.headers, body: answer.body)
    }
}
