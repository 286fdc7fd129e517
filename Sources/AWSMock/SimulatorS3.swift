import AWSClient
import Foundation
import Model
import Resolution
import Source

/// What S3's answers share.
enum S3Wire {
    /// `x-amz-id-2`: an opaque host id, here the request id's bytes in base64.
    static func hostID(_ requestID: String) -> String { Data(requestID.utf8).base64EncodedString() }

    static let xmlns = "http://s3.amazonaws.com/doc/2006-03-01/"

    /// An HTTP date (`Wed, 12 Oct 2009 17:50:00 GMT`), as `Last-Modified` carries it.
    static func httpDate(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let iso = Array(CivilTime.iso8601(seconds).utf8)  // 2009-10-12T17:50:00Z
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        func text(_ range: Range<Int>) -> String { String(decoding: iso[range], as: UTF8.self) }
        let month = months[(Int(text(5..<7)) ?? 1) - 1]
        return days[((seconds / 86400) % 7 + 7) % 7] + ", " + text(8..<10) + " " + month + " " + text(0..<4) + " " + text(11..<19) + " GMT"
    }
}

extension AWSSimulator {
    /// S3 over REST-XML: `GetObject`, `PutObject`, `HeadObject` (authorized as `s3:GetObject`) and `ListObjectsV2`
    /// (`s3:ListBucket` on the bucket), virtual-hosted or path-style. Object calls act on the object's ARN; an
    /// SSE-KMS object's read and write also need the KMS calls S3 makes with the caller's credentials.
    func handleS3(_ request: HTTPRequest, session: Session, endpoint: Endpoint, requestID: String) -> Result<HTTPResponse, WireError> {
        let (path, query) = SigV4Signer.wirePathAndQuery(request.url)
        // The path after its `/`: `<key>` virtual-hosted, `<bucket>/<key>` path-style (the key may hold slashes).
        var rest = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let bucketName: String
        if let bucket = endpoint.bucket {
            bucketName = bucket
        } else {
            let first = rest.prefix { $0 != "/" }
            guard !first.isEmpty else {
                return .failure(.of(400, "InvalidRequest", "The simulator serves bucket and object operations; this request names no bucket"))
            }
            bucketName = SigV4Signer.percentDecode(String(first))
            rest = String(rest.dropFirst(first.count + 1))
        }
        let key = rest.isEmpty ? nil : SigV4Signer.percentDecode(rest)
        let parameters = Self.queryParameters(query)
        let context = S3Context(session: session, bucketName: bucketName, requestID: requestID)
        do throws(WireError) {
            switch (request.method, key) {
            case ("GET", let key?):
                return .success(try getObject(context, key: key, head: false))
            case ("HEAD", let key?):
                return .success(try getObject(context, key: key, head: true))
            case ("PUT", let key?):
                return .success(try putObject(context, key: key, request: request))
            case ("GET", nil) where parameters["list-type"] == "2":
                return .success(try listObjectsV2(context, parameters: parameters))
            default:
                return .failure(.of(501, "NotImplemented", "A header or query you provided implies functionality that is not implemented"))
            }
        } catch {
            return .failure(error)
        }
    }

    private struct S3Context {
        var session: Session
        var bucketName: String
        var requestID: String
    }

    /// The query's parameters, decoded; the last of a repeated name wins.
    static func queryParameters(_ query: String) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            parameters[SigV4Signer.percentDecode(String(pieces[0]))] = pieces.count > 1 ? SigV4Signer.percentDecode(String(pieces[1])) : ""
        }
        return parameters
    }

    /// The model's bucket, or S3's `NoSuchBucket` (S3 tells whether a bucket exists before it authorizes).
    private func bucket(_ name: String) throws(WireError) -> Resource {
        guard let bucket = withLock({ $0.buckets[name]?.resource }) else { throw .of(404, "NoSuchBucket", "The specified bucket does not exist") }
        return bucket
    }

    private func headers(_ requestID: String) -> [(name: String, value: String)] {
        [(name: "x-amz-request-id", value: requestID), (name: "x-amz-id-2", value: S3Wire.hostID(requestID))]
    }

    private func encryptionHeaders(_ object: StoredObject) -> [(name: String, value: String)] {
        var headers = [(name: "x-amz-server-side-encryption", value: object.algorithm)]
        if let arn = object.kmsKeyARN { headers.append((name: "x-amz-server-side-encryption-aws-kms-key-id", value: arn)) }
        return headers
    }

    /// The bucket as it encrypts one object: with the object's own key (none for SSE-S3), for the implied KMS calls.
    private func encrypted(_ bucket: Resource, key: String?) -> Resource {
        var bucket = bucket
        bucket.encryptionKey = key
        return bucket
    }

    private func getObject(_ context: S3Context, key: String, head: Bool) throws(WireError) -> HTTPResponse {
        let bucket = try bucket(context.bucketName)
        let objectARN = bucket.objectARN(key)
        try authorizeCall(.session(context.session), action: "s3:GetObject", resourceARN: objectARN)
        guard let object = withLock({ $0.buckets[context.bucketName]?.objects[key] }) else {
            // S3 tells a missing key from a refused one only to a caller allowed to list the bucket.
            let list = decide(.session(context.session), action: "s3:ListBucket", resourceARN: bucket.arn)
            guard list.allowed else { throw .accessDenied(list.message) }
            throw .of(404, "NoSuchKey", "The specified key does not exist.")
        }
        // Reading an SSE-KMS object: S3 decrypts its data key with the caller's credentials.
        try authorizeKeyCalls(.session(context.session), action: "s3:GetObject", encrypted: encrypted(bucket, key: object.kmsKey), targetARN: objectARN)
        var headers = headers(context.requestID) + [
            (name: "Content-Type", value: object.contentType), (name: "Content-Length", value: String(object.body.count)),
            (name: "ETag", value: object.eTag), (name: "Last-Modified", value: S3Wire.httpDate(object.lastModified)),
            (name: "Accept-Ranges", value: "bytes"),
        ]
        headers += encryptionHeaders(object)
        for name in object.metadata.keys.sorted() { headers.append((name: "x-amz-meta-" + name, value: object.metadata[name]!)) }
        return HTTPResponse(status: 200, headers: headers, body: head ? [] : object.body)
    }

    private func putObject(_ context: S3Context, key: String, request: HTTPRequest) throws(WireError) -> HTTPResponse {
        let bucket = try bucket(context.bucketName)
        let objectARN = bucket.objectARN(key)
        var extra: [String: [String]] = [:]
        let algorithm = request.header("x-amz-server-side-encryption")
        if let algorithm { extra["s3:x-amz-server-side-encryption"] = [algorithm] }
        // The key it is encrypted with: the one the request names, else the bucket's default (SSE-KMS), else SSE-S3.
        var keyReference: String?
        var keyARN: String?
        switch algorithm {
        case nil:
            keyReference = bucket.encryptionKey
        case "AES256":
            keyReference = nil
        case "aws:kms":
            if let named = request.header("x-amz-server-side-encryption-aws-kms-key-id") {
                extra["s3:x-amz-server-side-encryption-aws-kms-key-id"] = [named]
                let resolved = kms.resolve(named, callerAccountID: context.session.accountID)
                guard let found = resolved.key else { throw .of(400, "KMS.NotFoundException", "Invalid keyId '\(named)'") }
                keyReference = found.reference
            } else {
                keyReference = bucket.encryptionKey
            }
            // The account's `aws/s3` key is not part of the model: fail closed.
            guard keyReference != nil else {
                throw .of(400, "KMS.NotFoundException", "The bucket has no KMS key and the simulator has no aws/s3 key; name the key")
            }
        case let other?:
            throw .of(400, "InvalidArgument", "The encryption method specified is not supported: \(other)")
        }
        if let keyReference { keyARN = kms.key(reference: keyReference)?.arn ?? model.resolvedResource(keyReference)?.arn }
        try authorizeCall(
            .session(context.session), action: "s3:PutObject", resourceARN: objectARN, extra: extra, encrypted: encrypted(bucket, key: keyReference),
            targetARN: objectARN)
        var metadata: [String: String] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            if name.hasPrefix("x-amz-meta-") { metadata[String(name.dropFirst("x-amz-meta-".count))] = header.value }
        }
        let object = StoredObject(
            body: request.body, contentType: request.header("content-type") ?? "binary/octet-stream", metadata: metadata, lastModified: clock(),
            algorithm: keyReference == nil ? "AES256" : "aws:kms", kmsKey: keyReference, kmsKeyARN: keyARN)
        withLock { $0.buckets[context.bucketName]?.objects[key] = object }
        return HTTPResponse(status: 200, headers: headers(context.requestID) + [(name: "ETag", value: object.eTag)] + encryptionHeaders(object), body: [])
    }

    private func listObjectsV2(_ context: S3Context, parameters: [String: String]) throws(WireError) -> HTTPResponse {
        let bucket = try bucket(context.bucketName)
        // The condition keys S3 sets on a listing (Amazon S3 User Guide, "Condition keys for Amazon S3").
        var extra: [String: [String]] = [:]
        if let prefix = parameters["prefix"] { extra["s3:prefix"] = [prefix] }
        if let delimiter = parameters["delimiter"] { extra["s3:delimiter"] = [delimiter] }
        if let maxKeys = parameters["max-keys"] { extra["s3:max-keys"] = [maxKeys] }
        try authorizeCall(.session(context.session), action: "s3:ListBucket", resourceARN: bucket.arn, extra: extra)
        var maxKeys = 1000
        if let text = parameters["max-keys"] {
            guard let value = Int(text), value >= 0 else { throw .of(400, "InvalidArgument", "Provided max-keys not an integer or within integer range") }
            maxKeys = min(value, 1000)
        }
        let prefix = parameters["prefix"] ?? ""
        let delimiter = parameters["delimiter"].flatMap { $0.isEmpty ? nil : $0 }
        // The continuation token is the last key of the previous page, base64-encoded (opaque to the caller).
        var after = parameters["start-after"] ?? ""
        if let token = parameters["continuation-token"] {
            guard let data = Data(base64Encoded: token) else { throw .of(400, "InvalidArgument", "The continuation token provided is incorrect") }
            after = max(after, String(decoding: data, as: UTF8.self))
        }
        let objects = withLock { $0.buckets[context.bucketName]?.objects ?? [:] }
        // UTF-8 binary order, as S3 lists.
        let keys = objects.keys.filter { $0.hasPrefix(prefix) && Array($0.utf8).lexicographicallyPrecedes(Array(after.utf8)) == false && $0 != after }
            .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var contents: [String] = []
        var prefixes: [String] = []
        var last: String?
        var truncated = false
        for key in keys {
            var rolled: String?
            if let delimiter, let range = key.dropFirst(prefix.count).range(of: delimiter) {
                rolled = String(key[..<range.upperBound])
            }
            if let rolled, prefixes.last == rolled { continue }
            if contents.count + prefixes.count == maxKeys {
                truncated = true
                break
            }
            if let rolled { prefixes.append(rolled) } else { contents.append(key) }
            last = rolled ?? key
        }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"\(S3Wire.xmlns)\">"
        xml += "<Name>\(XMLNode.escape(context.bucketName))</Name><Prefix>\(XMLNode.escape(prefix))</Prefix>"
        xml += "<KeyCount>\(contents.count + prefixes.count)</KeyCount><MaxKeys>\(maxKeys)</MaxKeys>"
        if let delimiter { xml += "<Delimiter>\(XMLNode.escape(delimiter))</Delimiter>" }
        xml += "<IsTruncated>\(truncated)</IsTruncated>"
        if let token = parameters["continuation-token"] { xml += "<ContinuationToken>\(XMLNode.escape(token))</ContinuationToken>" }
        if truncated, let last { xml += "<NextContinuationToken>\(Data(last.utf8).base64EncodedString())</NextContinuationToken>" }
        if let start = parameters["start-after"] { xml += "<StartAfter>\(XMLNode.escape(start))</StartAfter>" }
        for key in contents {
            let object = objects[key]!
            xml += "<Contents><Key>\(XMLNode.escape(key))</Key><LastModified>\(CivilTime.iso8601(Int(object.lastModified.timeIntervalSince1970)))</LastModified>"
            xml += "<ETag>\(XMLNode.escape(object.eTag))</ETag><Size>\(object.body.count)</Size><StorageClass>STANDARD</StorageClass></Contents>"
        }
        for rolled in prefixes { xml += "<CommonPrefixes><Prefix>\(XMLNode.escape(rolled))</Prefix></CommonPrefixes>" }
        xml += "</ListBucketResult>"
        return HTTPResponse(status: 200, headers: headers(context.requestID) + [(name: "Content-Type", value: "application/xml")], body: Array(xml.utf8))
    }
}
