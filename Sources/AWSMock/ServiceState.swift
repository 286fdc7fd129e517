import AWSClient
import Crypto
import Foundation
public import Model
import Resolution

/// An object of a simulated bucket: its bytes and headers, and how it is encrypted at rest.
struct StoredObject: Sendable {
    var body: [UInt8]
    var contentType: String
    var metadata: [String: String]
    var lastModified: Date
    /// `AES256` or `aws:kms`.
    var algorithm: String
    /// The model reference of the KMS key that encrypts it (SSE-KMS), and that key's ARN.
    var kmsKey: String?
    var kmsKeyARN: String?

    /// S3's ETag of a single-part upload: the quoted MD5 of the bytes.
    var eTag: String { "\"" + Hex.string(Insecure.MD5.hash(data: body)) + "\"" }
}

/// A bucket of the model and its objects.
struct BucketState: Sendable {
    let resource: Resource
    var objects: [String: StoredObject] = [:]
}

/// A message in a simulated queue.
struct QueuedMessage: Sendable {
    var id: String
    var body: String
    var sentAt: Date
    /// When it may be received again (after a receive, the visibility timeout).
    var visibleAt: Date
    var receiveCount = 0
    /// The receipt handle of its latest receive.
    var receiptHandle: String?
    var senderID: String
    var attributes: [String: String]
}

/// A queue of the model and its messages, oldest first.
struct QueueState: Sendable {
    let resource: Resource
    let accountID: String
    var messages: [QueuedMessage] = []
}

/// One delivery SNS attempted for a publish: to which queue, and whether the queue (and its key) let it in. A refused
/// delivery is dropped as SNS drops it; it is recorded here so that tests can see it.
public struct Delivery: Sendable, Hashable {
    public var topicARN: String
    public var queueARN: String
    /// The published message's id.
    public var messageID: String
    public var delivered: Bool
    /// The refusal's message (the queue policy's or the key's), when refused.
    public var refusal: String?
}

enum Hex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension AWSSimulator {
    /// The deliveries SNS attempted, in order (delivered or dropped), when the simulator records requests.
    public var deliveries: [Delivery] { withLock { $0.deliveries } }

    /// The bytes of an object, bypassing authorization (tests); nil when it does not exist.
    public func object(bucket: String, key: String) -> [UInt8]? { withLock { $0.buckets[bucket]?.objects[key]?.body } }

    /// The body a seeded object holds: small, and the same for the same bucket and key.
    public static func sampleObjectBody(bucket: String, key: String) -> [UInt8] { Array("trustflow sample object s3://\(bucket)/\(key)\n".utf8) }

    /// The secret string every secret of the model holds: the same for the same secret.
    public static func sampleSecretString(name: String) -> String { #"{"username":"trustflow","password":"sample-"# + name + #""}"# }

    /// Every bucket and queue the model names, and in each bucket the objects its steps read or write
    /// (`Step.concreteObject`, the key the snippets use), encrypted as the bucket encrypts new objects.
    func seedServices(_ state: inout State) {
        let seeded = Date(timeIntervalSince1970: Resolver.requestTime)
        for resource in model.resources {
            switch resource.kind {
            case .s3Bucket: state.buckets[resource.name] = BucketState(resource: resource)
            case .sqsQueue: state.queues[resource.arn] = QueueState(resource: resource, accountID: model.account(resource.accountKey)?.id ?? "")
            default: break
            }
        }
        for step in model.options.flatMap(\.steps) {
            guard case .resource(let key) = step.target, let bucket = model.resource(key), bucket.kind == .s3Bucket, let object = step.concreteObject,
                state.buckets[bucket.name]?.objects[object] == nil
            else { continue }
            let keyARN = bucket.encryptionKey.flatMap { model.resolvedResource($0)?.arn }
            state.buckets[bucket.name]?.objects[object] = StoredObject(
                body: Self.sampleObjectBody(bucket: bucket.name, key: object), contentType: "text/plain", metadata: [:], lastModified: seeded,
                algorithm: keyARN == nil ? "AES256" : "aws:kms", kmsKey: keyARN == nil ? nil : bucket.encryptionKey, kmsKeyARN: keyARN)
        }
    }
}
