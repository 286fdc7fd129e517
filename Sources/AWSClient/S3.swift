public import Foundation
import Source

/// Amazon S3 over REST-XML: `GetObject`, `PutObject`, `HeadObject`, `ListObjectsV2`.
///
/// Requests are signed with S3's rules (`SigV4Signer.s3`): `x-amz-content-sha256` always sent and signed, the key
/// URI-encoded once with its slashes kept, never normalised. The bucket is the first label of the host
/// (virtual-hosted style, `https://orders.s3.us-east-1.amazonaws.com/2026/11/report.csv`) unless the endpoint is
/// overridden, `AWSConfiguration.s3PathStyle` is set, or the bucket name cannot be a host label; then it is the
/// first segment of the path (`http://127.0.0.1:5000/orders/2026/11/report.csv`).
public struct S3: Sendable {
    public let configuration: AWSConfiguration
    private var call: ServiceCall { ServiceCall(configuration: configuration, service: .s3, wire: .restXML) }

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// How `putObject` asks S3 to encrypt the object at rest.
    public enum ServerSideEncryption: Sendable, Hashable {
        /// SSE-S3 (`AES256`): keys S3 manages.
        case s3Managed
        /// SSE-KMS (`aws:kms`) under `keyID` (a key id, key ARN or alias ARN; `nil`: the account's `aws/s3` key).
        /// The caller then needs `kms:GenerateDataKey` on the key to write and `kms:Decrypt` to read.
        case kms(keyID: String?, bucketKeyEnabled: Bool? = nil)
    }

    /// How an object is encrypted at rest, as S3 reports it in the `x-amz-server-side-encryption*` headers.
    public struct Encryption: Sendable, Hashable {
        /// `AES256`, `aws:kms` or `aws:kms:dsse`.
        public var algorithm: String
        /// The KMS key's ARN, for `aws:kms`.
        public var kmsKeyID: String?
        public var bucketKeyEnabled: Bool?
    }

    /// An object's headers: what `HeadObject` returns and `GetObject` returns with the bytes.
    public struct ObjectInfo: Sendable, Hashable {
        public var contentLength: Int?
        public var contentType: String?
        /// Quoted, as S3 sends it (`"9b2cf535f27731c974343645a3985328"`).
        public var eTag: String?
        public var lastModified: Date?
        public var versionID: String?
        public var storageClass: String?
        /// `bytes 0-9/443`, for a ranged read.
        public var contentRange: String?
        /// User metadata (`x-amz-meta-*`), by lower-cased name without the prefix.
        public var metadata: [String: String]
        public var encryption: Encryption?
        public var requestID: String?
    }

    /// What `GetObject` returns.
    public struct ObjectContents: Sendable, Hashable {
        public var body: [UInt8]
        public var info: ObjectInfo
    }

    /// What `PutObject` returns.
    public struct PutResult: Sendable, Hashable {
        public var eTag: String?
        public var versionID: String?
        /// Surfaced from the response headers: how S3 encrypted what it stored.
        public var encryption: Encryption?
        public var requestID: String?
    }

    /// One object of a listing.
    public struct ListedObject: Sendable, Hashable {
        public var key: String
        public var lastModified: Date?
        public var eTag: String?
        public var size: Int
        public var storageClass: String?
    }

    /// A page of `ListObjectsV2`.
    public struct ObjectList: Sendable, Hashable {
        public var bucket: String
        public var prefix: String?
        public var objects: [ListedObject]
        /// With a delimiter: the "folders" rolled up under the prefix.
        public var commonPrefixes: [String]
        public var keyCount: Int
        public var isTruncated: Bool
        /// Pass as `continuationToken` to read the next page; `nil` on the last page.
        public var nextContinuationToken: String?
    }

    // MARK: - Objects

    /// `s3:GetObject`: the object's bytes and headers. `range` is an HTTP range (`bytes=0-9`).
    public func getObject(bucket: String, key: String, range: String? = nil, versionID: String? = nil) async throws -> ObjectContents {
        var headers: [(name: String, value: String)] = []
        if let range { headers.append((name: "Range", value: range)) }
        let route = try route("GetObject", method: "GET", bucket: bucket, key: key, query: versionID.map { [("versionId", $0)] } ?? [])
        let response = try await call.send(operation: "GetObject", route: route, headers: headers, body: [])
        return ObjectContents(body: response.body, info: Self.info(response))
    }

    /// `s3:PutObject`: stores `body` under `key`. `encryption` adds the SSE request headers (`.kms(keyID:)`:
    /// `x-amz-server-side-encryption: aws:kms` and `x-amz-server-side-encryption-aws-kms-key-id`).
    /// `signsPayload: false` signs `UNSIGNED-PAYLOAD` instead of the body's SHA-256 (only over HTTPS, which then
    /// protects the body; the SDKs' choice for large uploads).
    public func putObject(
        bucket: String, key: String, body: [UInt8], contentType: String? = nil, metadata: [String: String] = [:],
        encryption: ServerSideEncryption? = nil, signsPayload: Bool = true
    ) async throws -> PutResult {
        var headers: [(name: String, value: String)] = [(name: "Content-Type", value: contentType ?? "application/octet-stream")]
        for name in metadata.keys.sorted() { headers.append((name: "x-amz-meta-" + name, value: metadata[name]!)) }
        switch encryption {
        case nil: break
        case .s3Managed:
            headers.append((name: "x-amz-server-side-encryption", value: "AES256"))
        case .kms(let keyID, let bucketKeyEnabled):
            headers.append((name: "x-amz-server-side-encryption", value: "aws:kms"))
            if let keyID { headers.append((name: "x-amz-server-side-encryption-aws-kms-key-id", value: keyID)) }
            if let bucketKeyEnabled { headers.append((name: "x-amz-server-side-encryption-bucket-key-enabled", value: bucketKeyEnabled ? "true" : "false")) }
        }
        let route = try route("PutObject", method: "PUT", bucket: bucket, key: key)
        let response = try await call.send(operation: "PutObject", route: route, headers: headers, body: body, unsignedPayload: !signsPayload)
        return PutResult(
            eTag: response.header("ETag"), versionID: response.header("x-amz-version-id"), encryption: Self.encryption(response),
            requestID: response.header("x-amz-request-id")
        )
    }

    /// `s3:GetObject` without the body (`HEAD`): the object's headers. A missing object is an `AWSError` with code
    /// `NotFound` (HTTP 404) and a denied one `Forbidden` (403): an answer to HEAD has no error document.
    public func headObject(bucket: String, key: String, versionID: String? = nil) async throws -> ObjectInfo {
        let route = try route("HeadObject", method: "HEAD", bucket: bucket, key: key, query: versionID.map { [("versionId", $0)] } ?? [])
        let response = try await call.send(operation: "HeadObject", route: route, headers: [], body: [])
        return Self.info(response)
    }

    /// `s3:ListBucket` (`ListObjectsV2`): one page of keys, in UTF-8 binary order, up to `maxKeys` (1000 by default).
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, maxKeys: Int? = nil, continuationToken: String? = nil,
        startAfter: String? = nil
    ) async throws -> ObjectList {
        let operation = "ListObjectsV2"
        var query: [(String, String)] = [("list-type", "2")]
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        if let prefix { query.append(("prefix", prefix)) }
        if let startAfter { query.append(("start-after", startAfter)) }
        let route = try route(operation, method: "GET", bucket: bucket, key: nil, query: query)
        let response = try await call.send(operation: operation, route: route, headers: [], body: [])
        let root: XMLNode
        do {
            root = try XMLNode.parse(response.body)
        } catch {
            throw call.malformed(response, operation: operation, "unreadable XML (\(error)) in \(ServiceCall.describeBody(response))")
        }
        guard root.localName == "ListBucketResult" else {
            throw call.malformed(response, operation: operation, "expected <ListBucketResult>, got <\(root.name)>")
        }
        var objects: [ListedObject] = []
        for contents in root.children("Contents") {
            guard let key = contents.child("Key")?.text else { throw call.malformed(response, operation: operation, "a <Contents> lacks <Key>") }
            objects.append(ListedObject(
                key: key, lastModified: contents.child("LastModified").flatMap { STS.parseISO8601($0.text) }, eTag: contents.child("ETag")?.text,
                size: contents.child("Size").flatMap { Int($0.text) } ?? 0, storageClass: contents.child("StorageClass")?.text
            ))
        }
        return ObjectList(
            bucket: root.child("Name")?.text ?? bucket, prefix: root.child("Prefix")?.text, objects: objects,
            commonPrefixes: root.children("CommonPrefixes").compactMap { $0.child("Prefix")?.text },
            keyCount: root.child("KeyCount").flatMap { Int($0.text) } ?? objects.count, isTruncated: root.child("IsTruncated")?.text == "true",
            nextContinuationToken: root.child("NextContinuationToken")?.text
        )
    }

    // MARK: - Addressing

    /// The route of a bucket or object request: path style or virtual-hosted style (see the type's comment).
    func route(_ operation: String, method: String, bucket: String, key: String?, query: [(String, String)] = []) throws -> Route {
        guard !bucket.isEmpty, !bucket.contains("/") else {
            throw AWSError(kind: .invalidParameter, code: AWSError.Code.invalidParameter, message: "bucket name '\(bucket)' is empty or holds a '/'", service: "s3", operation: operation)
        }
        if let key, key.isEmpty {
            throw AWSError(kind: .invalidParameter, code: AWSError.Code.invalidParameter, message: "an object key must not be empty", service: "s3", operation: operation)
        }
        let encodedKey = key.map(Self.encodeKey)
        let queryText = query.map { SigV4Signer.uriEncode($0.0) + "=" + SigV4Signer.uriEncode($0.1) }.joined(separator: "&")
        if usesPathStyle(bucket: bucket) {
            let path = "/" + SigV4Signer.uriEncode(bucket) + (encodedKey.map { "/" + $0 } ?? "")
            return Route(method: method, path: path, query: queryText)
        }
        return Route(method: method, path: "/" + (encodedKey ?? ""), query: queryText, hostPrefix: bucket)
    }

    /// Path style when configured, when the endpoint is overridden, or when the bucket cannot be a host label.
    func usesPathStyle(bucket: String) -> Bool {
        configuration.s3PathStyle || configuration.hasEndpointOverride(for: .s3) || !Self.isVirtualHostable(bucket)
    }

    /// A DNS-compatible bucket name without dots (dotted names break the TLS wildcard of `*.s3.<region>.amazonaws.com`):
    /// 3–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit.
    static func isVirtualHostable(_ bucket: String) -> Bool {
        let bytes = Array(bucket.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool { (97...122).contains(byte) || (48...57).contains(byte) }
        guard alphanumeric(bytes[0]), alphanumeric(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    /// An object key as it goes in the path: each `/`-separated part URI-encoded (RFC 3986 unreserved kept), the
    /// slashes kept, nothing normalised (`a//b`, `./x` are keys of their own). The signer encodes it no further.
    static func encodeKey(_ key: String) -> String {
        key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.uriEncode(String($0)) }.joined(separator: "/")
    }

    // MARK: - Response headers

    static func info(_ response: HTTPResponse) -> ObjectInfo {
        var metadata: [String: String] = [:]
        for header in response.headers {
            let name = SigV4Signer.lowercasedASCII(header.name)
            if name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst("x-amz-meta-".count))] = header.value }
        }
        return ObjectInfo(
            contentLength: response.header("Content-Length").flatMap { Int($0) }, contentType: response.header("Content-Type"),
            eTag: response.header("ETag"), lastModified: response.header("Last-Modified").flatMap(parseHTTPDate),
            versionID: response.header("x-amz-version-id"), storageClass: response.header("x-amz-storage-class"),
            contentRange: response.header("Content-Range"), metadata: metadata, encryption: encryption(response),
            requestID: response.header("x-amz-request-id")
        )
    }

    static func encryption(_ response: HTTPResponse) -> Encryption? {
        guard let algorithm = response.header("x-amz-server-side-encryption") else { return nil }
        return Encryption(
            algorithm: algorithm, kmsKeyID: response.header("x-amz-server-side-encryption-aws-kms-key-id"),
            bucketKeyEnabled: response.header("x-amz-server-side-encryption-bucket-key-enabled").map { $0.lowercased() == "true" }
        )
    }

    /// An HTTP date (`Wed, 12 Oct 2009 17:50:00 GMT`, RFC 9110's IMF-fixdate), as `Last-Modified` carries it.
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
            let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].firstIndex(of: String(parts[2]))
        else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3, (1...31).contains(day), time[0] < 24, time[1] < 60, time[2] < 61 else { return nil }
        let seconds = CivilTime.seconds(CivilTime.Components(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2]))
        return Date(timeIntervalSince1970: Double(seconds))
    }
}
