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

/// An `Authorization` header as the simulator parses it, then on a request through its authentication: a header the
/// fuzzer made is never accepted (no 2xx). `AKIDFUZZ` in the input stands for the access key the simulator issued, so
/// that mutations reach the checks after the key is found. The query, form and header helpers of the signer run on
/// the same text: `formDecode(uriEncode(s)) == s`, and canonical queries and trimmed header values are fixed points.
func fuzzSigV4Authorization(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)

    precondition(SigV4Signer.formDecode(SigV4Signer.uriEncode(text)) == text, "formDecode(uriEncode(s)) != s")
    let query = SigV4Signer.canonicalQuery(text)
    precondition(SigV4Signer.canonicalQuery(query) == query, "a canonical query is not canonical")
    let trimmed = SigV4Signer.trimmedHeaderValue(text)
    precondition(SigV4Signer.trimmedHeaderValue(trimmed) == trimmed, "a trimmed header value is not trimmed")
    _ = SigV4Signer.parseTimestamp(text)

    let simulator = AWSSimulator(model: model, authorizer: authorizer, clock: { now }, recordsRequests: false)
    guard let credentials = try? simulator.credentials(forFunction: "ordersFunction") else { fatalError("the default content has no ordersFunction") }
    _ = SigV4Signer(credentials: credentials, region: "us-east-1", service: "sts").canonicalURI(text)
    let header = text.replacingOccurrences(of: "AKIDFUZZ", with: credentials.accessKeyID)
    if let parsed = AWSSimulator.parseAuthorization(header) {
        precondition(!parsed.accessKeyID.contains(","), "a field ran into the next")
    }
    let request = HTTPRequest(
        method: "POST", url: AWSSimulator.endpoint,
        headers: [
            ("Authorization", header), ("X-Amz-Date", SigV4Signer.timestamp(now)), ("X-Amz-Security-Token", credentials.sessionToken ?? ""),
            ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "aws.simulator.invalid"),
        ],
        body: Array("Action=GetCallerIdentity&Version=2011-06-15".utf8))
    let response = simulator.handle(request)
    precondition((400..<500).contains(response.status), "a forged Authorization header was answered \(response.status)")
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzSigV4Authorization))
