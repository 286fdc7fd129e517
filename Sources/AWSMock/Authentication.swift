import AWSClient
import Crypto
import Foundation

/// Where a request arrived: the service its endpoint serves and the endpoint's region.
struct Endpoint: Sendable, Equatable {
    var service: SimulatedService
    var region: String
    /// S3's virtual-hosted style: the bucket named by the host (`orders.s3.us-east-1.amazonaws.com`).
    var bucket: String? = nil
}

/// The request headers the simulator reads, found in one pass over the headers: routing, authentication and the
/// DynamoDB handler each looked theirs up (a scan of every header per name). Each is the first header of its name
/// without case, as `HTTPRequest.header(_:)` finds it.
struct RequestHeaders {
    /// The `Host` header; without one (in process) the URL's host and port as a client signs them, worked out once
    /// for routing and the signature (each read the URL's host, which Foundation percent-decodes per call).
    var host: String
    var date: String?
    var amzDate: String?
    var target: String?
    var contentType: String?
    var authorization: String?
    var securityToken: String?
    var contentSHA256: String?

    init(_ request: HTTPRequest) {
        func take(_ slot: inout String?, _ header: (name: String, value: String), _ name: StaticString) -> Bool {
            guard slot == nil, Self.isNamed(header.name, name) else { return false }
            slot = header.value
            return true
        }
        var host: String?
        for header in request.headers {
            // Names of different lengths never match: most headers are settled by their length alone.
            switch header.name.utf8.count {
            case 4: _ = take(&host, header, "host") || take(&date, header, "date")
            case 10: _ = take(&amzDate, header, "x-amz-date")
            case 12: _ = take(&target, header, "x-amz-target") || take(&contentType, header, "content-type")
            case 13: _ = take(&authorization, header, "authorization")
            case 20: _ = take(&securityToken, header, "x-amz-security-token") || take(&contentSHA256, header, "x-amz-content-sha256")
            default: break
            }
        }
        self.host = host ?? (request.url == AWSSimulator.endpoint ? Self.endpointHost : SigV4Signer.hostHeader(for: request.url))
    }

    /// The in-process address's host, as a client signs it: what nearly every request without a Host header carries.
    private static let endpointHost = SigV4Signer.hostHeader(for: AWSSimulator.endpoint)

    /// Whether `name` is `lowercased` (an ASCII name in lower case) with ASCII letters compared without case, as
    /// `HTTPRequest.header(_:)` compares them.
    private static func isNamed(_ name: String, _ lowercased: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: lowercased.utf8Start, count: lowercased.utf8CodeUnitCount)
        func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            guard bytes.count == expected.count else { return false }
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) != expected[index] { return false }
            }
            return true
        }
        return name.utf8.withContiguousStorageIfAvailable(matches) ?? Array(name.utf8).withUnsafeBufferPointer(matches)
    }
}

extension SimulatedService {
    /// The service's name in a credential scope and an endpoint host.
    var name: String {
        switch self {
        case .sts: "sts"
        case .dynamodb: "dynamodb"
        case .s3: "s3"
        case .kms: "kms"
        case .sqs: "sqs"
        case .sns: "sns"
        case .secretsmanager: "secretsmanager"
        case .lambda: "lambda"
        }
    }

    /// The service a regional endpoint's first label names (`kms.eu-west-1.amazonaws.com`).
    static func named(_ label: String) -> SimulatedService? {
        switch label {
        case "sts": .sts
        case "dynamodb": .dynamodb
        case "s3": .s3
        case "kms": .kms
        case "sqs": .sqs
        case "sns": .sns
        case "secretsmanager": .secretsmanager
        case "lambda": .lambda
        default: nil
        }
    }
}

extension AWSSimulator {
    /// The endpoint a request was sent to, as AWS routes: `sts.amazonaws.com` (us-east-1), `sts.<region>.amazonaws.com`,
    /// `dynamodb.<region>.amazonaws.com`. A custom endpoint (`AWS_ENDPOINT_URL`: loopback, or the in-process address)
    /// serves both services on one address in the model's region, as LocalStack and moto do: a request that names a
    /// DynamoDB operation in `X-Amz-Target` (AWS JSON 1.0) is DynamoDB's, any other is STS's (the query protocol). The
    /// credential scope never decides: a request signed for another service is refused, not rerouted.
    func endpoint(of request: HTTPRequest, headers: RequestHeaders) -> Endpoint {
        // The host with any port, which both checks below set aside.
        let host = headers.host
        if Self.namesAWSEndpoint(host) {
            var name = host.lowercased()
            if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]") { name = String(name[..<colon]) }
            let labels = name.split(separator: ".").map(String.init)
            if name.hasSuffix(".amazonaws.com") {
                if labels.first == "sts" { return Endpoint(service: .sts, region: labels.count == 4 ? labels[1] : "us-east-1") }
                if labels.count == 4, let service = SimulatedService.named(labels[0]) { return Endpoint(service: service, region: labels[1]) }
                // Virtual-hosted S3: `<bucket>.s3.<region>.amazonaws.com` (the bucket may hold dots).
                if labels.count >= 5, labels[labels.count - 4] == "s3" {
                    return Endpoint(service: .s3, region: labels[labels.count - 3], bucket: labels.dropLast(4).joined(separator: "."))
                }
            }
        }
        if let target = headers.target, Self.hasPrefix(target, "DynamoDB_") {
            return Endpoint(service: .dynamodb, region: model.region)
        }
        return Endpoint(service: Self.service(ofCustomEndpointRequest: request), region: model.region)
    }

    /// The service a request to a custom endpoint (one address for every service) is for, from what the request
    /// itself says, as LocalStack and moto route: the JSON protocols' `X-Amz-Target` prefix (DynamoDB, KMS, SQS,
    /// Secrets Manager), Lambda's REST path, the Query protocol's API version (STS 2011-06-15, SNS 2010-03-31), and
    /// S3's REST paths for everything else. The credential scope is checked against it afterwards, never used to
    /// reroute.
    static func service(ofCustomEndpointRequest request: HTTPRequest) -> SimulatedService {
        if let target = request.header("x-amz-target") {
            if target.utf8.starts(with: "DynamoDB_".utf8) { return .dynamodb }
            if target.utf8.starts(with: "TrentService.".utf8) { return .kms }
            if target.utf8.starts(with: "AmazonSQS.".utf8) { return .sqs }
            if target.utf8.starts(with: "secretsmanager.".utf8) { return .secretsmanager }
        }
        let (path, query) = SigV4Signer.wirePathAndQuery(request.url)
        if path.hasPrefix("/2015-03-31/functions/") { return .lambda }
        if request.method == "POST", path == "/" || path.isEmpty {
            // The Query protocol: a form naming its action and API version (in the body, or in the query string).
            let form = String(decoding: request.body, as: UTF8.self) + "&" + query
            return form.contains("Version=2010-03-31") ? .sns : .sts
        }
        if request.method == "GET", path == "/" || path.isEmpty, query.contains("Action=") {
            return query.contains("Version=2010-03-31") ? .sns : .sts
        }
        return .s3
    }

    /// Whether a `Host` ends in `.amazonaws.com` (a port after it allowed), compared byte by byte without case.
    static func namesAWSEndpoint(_ host: String) -> Bool {
        var host = host
        return host.withUTF8 { whole in
            var bytes = whole[...]
            if let colon = bytes.lastIndex(of: UInt8(ascii: ":")), !bytes.contains(UInt8(ascii: "]")) { bytes = bytes[..<colon] }
            let suffix: StaticString = ".amazonaws.com"
            let expected = UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount)
            guard bytes.count > expected.count else { return false }
            let start = bytes.endIndex - expected.count
            for index in 0..<expected.count {
                let byte = bytes[start + index]
                if (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) != expected[index] { return false }
            }
            return true
        }
    }

    package struct ParsedAuthorization {
        package var accessKeyID: String
        package var scope: String
        package var signedHeaders: [String]
        /// The signature's 32 bytes; nil when it is not 64 hexadecimal digits (the request then fails the signature
        /// check, after every check AWS makes before it).
        package var signature: [UInt8]?
    }

    package static func parseAuthorization(_ value: String) -> ParsedAuthorization? {
        // Over the header's own UTF-8 when it is contiguous (a native string always is): no copy of the header.
        if let parsed = value.utf8.withContiguousStorageIfAvailable(parseAuthorization) { return parsed }
        return Array(value.utf8).withUnsafeBufferPointer(parseAuthorization)
    }

    private static func parseAuthorization(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedAuthorization? {
        let prefix: StaticString = "AWS4-HMAC-SHA256 "
        guard bytes.count > prefix.utf8CodeUnitCount, equals(bytes[0..<prefix.utf8CodeUnitCount], prefix) else { return nil }
        // `name=value` fields separated by commas; the three we need, the last of each name winning.
        var credential: Range<Int>?
        var signedHeaders: Range<Int>?
        var signature: Range<Int>?
        var index = prefix.utf8CodeUnitCount
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            var start = index
            while start < end, bytes[start] == 0x20 { start += 1 }
            var stop = end
            while stop > start, bytes[stop - 1] == 0x20 { stop -= 1 }
            if let equals = bytes[start..<stop].firstIndex(of: UInt8(ascii: "=")) {
                let name = bytes[start..<equals]
                if Self.equals(name, "Credential") {
                    credential = (equals + 1)..<stop
                } else if Self.equals(name, "SignedHeaders") {
                    signedHeaders = (equals + 1)..<stop
                } else if Self.equals(name, "Signature") {
                    signature = (equals + 1)..<stop
                }
            } else if stop > start {
                return nil
            }
            index = end + 1
        }
        guard let credential, let signedHeaders, let signature, let slash = bytes[credential].firstIndex(of: UInt8(ascii: "/")) else { return nil }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        var names: [String] = []
        names.reserveCapacity(8)
        var nameStart = signedHeaders.lowerBound
        for position in signedHeaders where bytes[position] == UInt8(ascii: ";") {
            if position > nameStart { names.append(text(nameStart..<position)) }
            nameStart = position + 1
        }
        if signedHeaders.upperBound > nameStart { names.append(text(nameStart..<signedHeaders.upperBound)) }
        return ParsedAuthorization(
            accessKeyID: text(credential.lowerBound..<slash), scope: text((slash + 1)..<credential.upperBound), signedHeaders: names,
            signature: signatureBytes(UnsafeBufferPointer(rebasing: bytes[signature]))
        )
    }

    /// Whether `text`'s UTF-8 starts with `prefix`'s.
    static func hasPrefix(_ text: String, _ prefix: StaticString) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.count >= prefix.utf8CodeUnitCount && equals(bytes[0..<prefix.utf8CodeUnitCount], prefix) }
    }

    /// Whether `bytes` are exactly the UTF-8 of `literal` (one comparison of memory, not a generic walk of two
    /// collections).
    static func equals(_ bytes: Slice<UnsafeBufferPointer<UInt8>>, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount, let base = bytes.base.baseAddress else { return false }
        return memcmp(base + bytes.startIndex, literal.utf8Start, bytes.count) == 0
    }

    /// SigV4 as AWS checks it (IAM User Guide, "Troubleshoot signed requests for AWS APIs"), in AWS's order and words:
    /// the Authorization header, the request time (`X-Amz-Date`, else `Date`) within 5 minutes, the scope's date,
    /// region and service against the request and its endpoint, the access key, the session token (which need not be
    /// signed), the credentials' expiry, then the signature over the headers the client signed (`host` among them).
    func authenticate(_ request: HTTPRequest, headers requestHeaders: RequestHeaders, endpoint: Endpoint) -> Result<Session, WireError> {
        guard let header = requestHeaders.authorization else {
            return .failure(.missingAuthentication)
        }
        guard let parsed = Self.parseAuthorization(header) else {
            return .failure(.incompleteSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=\(header)"))
        }
        let scopeParts = Self.scopeParts(parsed.scope)
        guard scopeParts.count == 4, scopeParts[3] == "aws4_request" else {
            return .failure(.incompleteSignature("Credential should be scoped to a valid region. "))
        }
        let dateHeader: String
        let dateText: String
        let date: Date
        if let text = requestHeaders.amzDate {
            guard let parsedDate = SigV4Signer.parseTimestamp(text) else {
                return .failure(.incompleteSignature("Date must be in ISO-8601 'basic format'. Got '\(text)'. See http://en.wikipedia.org/wiki/ISO_8601"))
            }
            (dateHeader, dateText, date) = ("x-amz-date", text, parsedDate)
        } else if let text = requestHeaders.date, let parsedDate = Self.parseHTTPDate(text) {
            (dateHeader, dateText, date) = ("date", SigV4Signer.timestamp(parsedDate), parsedDate)
        } else {
            return .failure(.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=\(header)"))
        }
        let now = clock()
        if date.timeIntervalSince(now) < -maximumSkew {
            let bound = SigV4Signer.timestamp(now.addingTimeInterval(-maximumSkew))
            return .failure(.signatureMismatch("Signature expired: \(dateText) is now earlier than \(bound) (\(SigV4Signer.timestamp(now)) - 5 min.)"))
        }
        if date.timeIntervalSince(now) > maximumSkew {
            let bound = SigV4Signer.timestamp(now.addingTimeInterval(maximumSkew))
            return .failure(.signatureMismatch("Signature not yet current: \(dateText) is still later than \(bound) (\(SigV4Signer.timestamp(now)) + 5 min.)"))
        }
        let day = SigV4Signer.day(date)
        guard scopeParts[0] == day else {
            return .failure(
                .signatureMismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(scopeParts[0])' != '\(day)', from '\(dateText)'."))
        }
        guard scopeParts[1] == endpoint.region else {
            return .failure(.signatureMismatch("Credential should be scoped to a valid region, not '\(scopeParts[1])'. "))
        }
        guard scopeParts[2] == endpoint.service.name else {
            return .failure(.signatureMismatch("Credential should be scoped to correct service: '\(endpoint.service.name)'. "))
        }
        guard let session = withLock({ $0.sessions[parsed.accessKeyID] }) else {
            return .failure(.invalidClientToken)
        }
        if let expected = session.credentials.sessionToken {
            guard let token = requestHeaders.securityToken, Self.constantTimeEquals(token, expected) else {
                return .failure(.invalidClientToken)
            }
        } else if requestHeaders.securityToken != nil {
            // Long-term keys (an IAM user's) carry no token; a request that sends one is refused.
            return .failure(.invalidClientToken)
        }
        if let expiration = session.credentials.expiration, now >= expiration {
            return .failure(.expiredToken)
        }
        guard parsed.signedHeaders.contains("host"), parsed.signedHeaders.contains(dateHeader) else {
            return .failure(.signatureMismatch(WireError.signatureMismatchMessage))
        }
        // Recompute the signature over exactly the headers the client says it signed (names compared without case,
        // without making lower-cased copies).
        let signedNames = parsed.signedHeaders
        var headers: [(name: String, value: String)] = []
        headers.reserveCapacity(signedNames.count)
        // Which signed names the request has, on the stack.
        let everySignedHeaderPresent = withUnsafeTemporaryAllocation(of: Bool.self, capacity: signedNames.count) { seen in
            seen.initialize(repeating: false)
            for header in request.headers {
                let length = header.name.utf8.count
                guard let position = signedNames.firstIndex(where: { $0.utf8.count == length && SigV4Signer.compareLowercased($0, header.name) == 0 })
                else { continue }
                headers.append(header)
                seen[position] = true
            }
            if let host = signedNames.firstIndex(of: "host"), !seen[host] {
                // In process there is no Host header: the client signed the URL's host.
                headers.append((name: "host", value: requestHeaders.host))
                seen[host] = true
            }
            return seen.allSatisfy { $0 }
        }
        guard everySignedHeaderPresent else {
            return .failure(.signatureMismatch(WireError.signatureMismatchMessage))
        }
        // S3's rules: the path encoded once and not normalised, and the payload hash is what `x-amz-content-sha256`
        // claims (S3 requires it; `UNSIGNED-PAYLOAD` leaves the body unsigned).
        let signer = endpoint.service == .s3
            ? SigV4Signer.s3(credentials: session.credentials, region: scopeParts[1])
            : SigV4Signer(credentials: session.credentials, region: scopeParts[1], service: scopeParts[2])
        let (path, query) = SigV4Signer.wirePathAndQuery(request.url)
        let bodyHash = SigV4Signer.hexSHA256(request.body)
        let claimed = requestHeaders.contentSHA256
        if let claimed, claimed != bodyHash, claimed != SigV4Signer.unsignedPayloadHash {
            return .failure(.signatureMismatch("The provided 'x-amz-content-sha256' header does not match what was computed."))
        }
        if endpoint.service == .s3, claimed == nil {
            return .failure(.service(status: 400, code: "InvalidRequest", message: "Missing required header for this request: x-amz-content-sha256", namespace: ""))
        }
        let payloadHash = endpoint.service == .s3 && claimed == SigV4Signer.unsignedPayloadHash ? SigV4Signer.unsignedPayloadHash : bodyHash
        let (canonical, _) = signer.canonicalRequestBytes(method: request.method, path: path, query: query, headers: headers, payloadHash: payloadHash)
        let stringToSign = signer.stringToSignBytes(canonicalRequest: canonical, timestamp: dateText, scope: parsed.scope)
        guard let provided = parsed.signature,
            SigV4Signer.isValidSignature(
                provided, stringToSign: stringToSign, secret: session.credentials.secretAccessKey, day: scopeParts[0], region: scopeParts[1],
                service: scopeParts[2])
        else {
            return .failure(.signatureMismatch(WireError.signatureMismatchMessage))
        }
        return .success(session)
    }

    /// The scope's fields between slashes, empty ones kept (as `split(omittingEmptySubsequences: false)` gives them).
    static func scopeParts(_ scope: String) -> [String] {
        var parts: [String] = []
        parts.reserveCapacity(4)
        var scope = scope
        scope.withUTF8 { bytes in
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "/") {
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
        }
        return parts
    }

    /// An HTTP date (RFC 9110 IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`), which SigV4 accepts instead of
    /// `X-Amz-Date`.
    static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", parts[0].hasSuffix(",") else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let day = Int(parts[1]), let monthIndex = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]) else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int(clock[0]), let minute = Int(clock[1]), let second = Int(clock[2]) else { return nil }
        let text = String(format: "%04d%02d%02dT%02d%02d%02dZ", year, monthIndex + 1, day, hour, minute, second)
        return SigV4Signer.parseTimestamp(text)
    }

    /// Whether two strings have the same UTF-8 bytes, in time that depends only on their lengths (a token's length
    /// is no secret; its bytes are): no comparison stops at the first difference, as `==` would.
    package static func constantTimeEquals(_ provided: String, _ expected: String) -> Bool {
        var provided = provided
        var expected = expected
        return provided.withUTF8 { a in
            expected.withUTF8 { b in
                var difference: UInt8 = a.count == b.count ? 0 : 1
                // Every byte both have; when the lengths differ the answer is already no.
                for index in 0..<min(a.count, b.count) { difference |= a[index] ^ b[index] }
                return difference == 0
            }
        }
    }

    /// The 32 bytes of a signature written as 64 hexadecimal digits (either case), or nil.
    static func signatureBytes(_ digits: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard digits.count == 64 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 {
            guard let high = nibble(digits[2 * index]), let low = nibble(digits[2 * index + 1]) else { return nil }
            out[index] = high << 4 | low
        }
        return out
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 97...102: byte - 87
        case 65...70: byte - 55
        default: nil
        }
    }
}

/// Identifiers and secrets from the operating system's cryptographic generator: nothing a caller knows — a role ARN,
/// a session name, how many requests came before — tells anything about another session's credentials or the next
/// request id. Keys, secrets and tokens come from swift-crypto's `SymmetricKey(size:)`, which on every platform fills
/// its bytes from Swift's `SystemRandomNumberGenerator` (`getrandom` on Linux, `arc4random_buf` on Apple platforms),
/// eight bytes a call — not from BoringSSL's generator. Request ids come from `RandomPool`, which reads the kernel's
/// generator through `getentropy` 256 bytes a call and hands each byte out once.
enum RandomIdentifiers {
    private static let base32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let base64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func bytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }

    static func characters(_ count: Int, from alphabet: [UInt8]) -> String {
        // 64 and 32 divide 256, so every character is equally likely.
        String(decoding: bytes(count).map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }

    /// `ASIA` and 16 base-32 characters, as STS's temporary keys look; `AKIA…` for an IAM user's long-term keys.
    static func accessKeyID(longTerm: Bool = false) -> String { (longTerm ? "AKIA" : "ASIA") + characters(16, from: base32) }
    /// 40 base-64 characters (240 random bits).
    static func secretAccessKey() -> String { characters(40, from: base64) }
    /// A long opaque token (about 1,000 random bits).
    static func sessionToken() -> String { "IQoJb3JpZ2luX2VjE" + characters(172, from: base64) }

    /// Request ids come from the kernel's generator too, drawn 4 KiB at a time: ids reveal nothing of each other or of how
    /// many requests came before, at a few dozen nanoseconds each instead of a hash (or a system call) per request.
    private static let pool = RandomPool()

    /// A request id as each service writes one: STS a version-4 UUID, DynamoDB 52 upper-case letters and digits.
    static func requestID(for service: SimulatedService) -> String {
        switch service {
        case .s3:
            // S3's `x-amz-request-id`: 16 upper-case hex digits.
            var bytes = [UInt8](repeating: 0, count: 8)
            pool.fill(&bytes)
            let digits = Array("0123456789ABCDEF".utf8)
            return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
        case .sts, .kms, .sqs, .sns, .secretsmanager, .lambda:
            var uuid = [UInt8](repeating: 0, count: 16)
            pool.fill(&uuid)
            uuid[6] = (uuid[6] & 0x0F) | 0x40
            uuid[8] = (uuid[8] & 0x3F) | 0x80
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(36)
            for (index, byte) in uuid.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { out.append(UInt8(ascii: "-")) }
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 15)])
            }
            return String(decoding: out, as: UTF8.self)
        case .dynamodb:
            // Five random bits a character (the alphabet has 32), so every character is equally likely and
            // independent of the others: 260 bits from 33 bytes of the generator, not a byte (three bits thrown
            // away) a character. The generator's bytes are most of what an id costs.
            return String(unsafeUninitializedCapacity: 52) { buffer in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 33) { random in
                    pool.fill(random)
                    dynamoDBAlphabet.withUnsafeBufferPointer { alphabet in
                        var bits: UInt32 = 0
                        var available = 0
                        var next = 0
                        for index in 0..<52 {
                            if available < 5 {
                                bits = bits << 8 | UInt32(random[next])
                                next += 1
                                available += 8
                            }
                            available -= 5
                            buffer[index] = alphabet[Int(truncatingIfNeeded: (bits >> UInt32(available)) & 31)]
                        }
                    }
                }
                return 52
            }
        }
    }

    private static let dynamoDBAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUV0123456789".utf8)
}

/// Bytes from the cryptographic generator, drawn a block at a time and handed out once each.
final class RandomPool: @unchecked Sendable {
    private let lock = NSLock()
    private var block: [UInt8] = []
    private var position = 0
    private static let blockSize = 4096

    func fill(_ out: UnsafeMutableBufferPointer<UInt8>) {
        precondition(out.count <= Self.blockSize)
        lock.lock()
        defer { lock.unlock() }
        if block.count - position < out.count {
            block = Self.kernelRandom(Self.blockSize)
            position = 0
        }
        block.withUnsafeBufferPointer { source in
            _ = out.initialize(from: source[position..<(position + out.count)])
        }
        position += out.count
    }

    /// `count` bytes from the kernel's generator, 256 a call (swift-crypto's `SymmetricKey` asks for eight bytes a
    /// call, which for a block would be hundreds of system calls).
    private static func kernelRandom(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { buffer in
            // `getentropy` gives at most 256 bytes a call, on Linux (glibc) and macOS alike.
            var filled = 0
            while filled < count {
                let chunk = min(256, count - filled)
                precondition(getentropy(buffer.baseAddress! + filled, chunk) == 0, "getentropy failed: \(errno)")
                filled += chunk
            }
        }
        return bytes
    }

    func fill(_ out: inout [UInt8]) {
        out.withUnsafeMutableBufferPointer { fill($0) }
    }
}
