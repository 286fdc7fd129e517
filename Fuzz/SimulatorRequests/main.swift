import AWSClient
import AWSMock
import Foundation
import Model
import FuzzDriver

let model = try! ModelLoader.load(contentDirectory: "content")
let now = Date(timeIntervalSince1970: 1_767_225_600)
/// Made once: it resolves the whole model (every step, every requirement), the same for every input; each input
/// still gets a simulator of its own.
let authorizer = ModelAuthorizer(model: model)
let operations = ["GetItem", "PutItem", "DeleteItem", "UpdateItem", "Query", "Scan", "DescribeTable", "ListTables"]

/// The simulator's request decoders behind a valid signature: the first byte picks DynamoDB's operation (0–7), an
/// STS form body (8) or an STS query string (9); the rest is the body (or query). Each input runs on a new simulator
/// as the function's session, then a Scan reads back what it may have written. Every request gets an AWS-shaped
/// answer: a status AWS uses and a body in the service's format.
func fuzzSimulatorRequests(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = Int(data[0]) % 10
    let body = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    let simulator = AWSSimulator(model: model, authorizer: authorizer, clock: { now }, recordsRequests: false)
    guard let credentials = try? simulator.credentials(forFunction: "ordersFunction") else { fatalError("the default content has no ordersFunction") }

    func send(_ request: HTTPRequest, service: String) {
        let signed = SigV4Signer(credentials: credentials, region: model.region, service: service).sign(request, at: now)
        let response = simulator.handle(signed)
        precondition([200, 400, 403, 404, 413].contains(response.status), "status \(response.status) for \(service)")
        precondition(response.status == 200 || !response.body.isEmpty, "an error without a body")
    }

    switch selector {
    case 0..<8:
        send(HTTPRequest(
            method: "POST", url: AWSSimulator.endpoint,
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.\(operations[selector])")], body: body),
            service: "dynamodb")
        send(HTTPRequest(
            method: "POST", url: AWSSimulator.endpoint,
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.Scan")],
            body: Array(#"{"TableName": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}"#.utf8)),
            service: "dynamodb")
    case 8:
        send(HTTPRequest(method: "POST", url: AWSSimulator.endpoint, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: body), service: "sts")
    default:
        guard let url = URL(string: AWSSimulator.endpoint.absoluteString + "/?" + String(decoding: body, as: UTF8.self)) else { return 0 }
        send(HTTPRequest(method: "GET", url: url), service: "sts")
    }
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzSimulatorRequests))
