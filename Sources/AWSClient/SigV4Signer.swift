public import Foundation
import Source
internal import Crypto

/// AWS Signature Version 4, as a pure value: same input and date, same signature. `SigV4Signer.s3(…)` makes one
/// with S3's rules.
///
/// Each stage is public so it can be checked against AWS's published vectors: `canonicalRequest` →
/// `stringToSign` → `signingKey` → `signature` → `authorizationHeader`. `sign(_:at:)` runs them all and returns
/// the request with `X-Amz-Date`, `X-Amz-Security-Token` (signed, when the credentials carry a token),
/// optionally `X-Amz-Content-Sha256`, and `Authorization` added.
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    /// The signing name: `sts`, `dynamodb`.
    public var service: String
    /// Adds and signs `x-amz-content-sha256` (S3 needs it; other services accept it).
    public var signsContentHash: Bool
    /// Removes `.`/`..` and empty path segments before encoding (true for every service but S3).
    public var normalizesPath: Bool
    /// S3's canonical URI: the path is URI-encoded once, as S3 decodes it (what is on the wire is decoded and
    /// encoded again, never encoded twice). Every other service encodes the already encoded path a second time.
    public var encodesPathOnce = false
    /// Signs `UNSIGNED-PAYLOAD` in place of the body's SHA-256 (S3 only: the body is then not covered by the
    /// signature, and need not be hashed before sending).
    public var unsignedPayload = false

    public init(credentials: AWSCredentials, region: String, service: String, signsContentHash: Bool = false, normalizesPath: Bool = true) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.signsContentHash = signsContentHash
        self.normalizesPath = normalizesPath
    }

    /// A signer with S3's rules: `x-amz-content-sha256` always sent and signed, the path encoded once and not
    /// normalised; `unsignedPayload` signs `UNSIGNED-PAYLOAD` instead of the body's hash.
    public static func s3(credentials: AWSCredentials, region: String, unsignedPayload: Bool = false) -> SigV4Signer {
        var signer = SigV4Signer(credentials: credentials, region: region, service: "s3", signsContentHash: true, normalizesPath: false)
        signer.encodesPathOnce = true
        signer.unsignedPayload = unsignedPayload
        return signer
    }

    /// The payload hash that is signed (and sent as `x-amz-content-sha256`): the body's SHA-256, or `UNSIGNED-PAYLOAD`.
    public func payloadHash(_ body: [UInt8]) -> String {
        unsignedPayload ? Self.unsignedPayloadHash : Self.hexSHA256(body)
    }

    /// S3's stand-in for a payload hash when the body is not signed.
    public static let unsignedPayloadHash = "UNSIGNED-PAYLOAD"

    /// The parts of a signature, kept for verification and for tests.
    public struct Signature: Sendable, Hashable {
        public var canonicalRequest: String
        public var stringToSign: String
        /// Lower-case header names, sorted, joined with `;`.
        public var signedHeaders: String
        /// 64 lower-case hex digits.
        public var signature: String
        /// The `Authorization` header value.
        public var authorization: String
    }

    // MARK: - Whole requests

    /// The request with the signing headers and `Authorization` added. `Host` is signed from the URL when absent.
    public func sign(_ request: HTTPRequest, at date: Date) -> HTTPRequest {
        // The date formatted once, for the header and the string to sign; only the `Authorization` value is made (the
        // stages' texts that `signature(for:at:)` returns for tests are not).
        let timestamp = Self.timestamp(date)
        var signed = prepare(request, timestamp: timestamp)
        let (path, query) = Self.wirePathAndQuery(signed.url)
        let (canonical, signedHeaders) = canonicalRequestBytes(
            method: signed.method, path: path, query: query, headers: signed.headers, payloadHash: payloadHash(signed.body))
        let day = String(timestamp.prefix(8))
        let scope = scope(day: day)
        let toSign = stringToSignBytes(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        signed.headers.append((name: "Authorization", value: authorization(day: day, scope: scope, signedHeaders: signedHeaders, stringToSign: toSign).text))
        return signed
    }

    /// The request with `Host`, `X-Amz-Date`, `X-Amz-Security-Token` and (if asked) `X-Amz-Content-Sha256` set,
    /// any previous signature removed: exactly what gets signed.
    public func prepare(_ request: HTTPRequest, at date: Date) -> HTTPRequest {
        prepare(request, timestamp: Self.timestamp(date))
    }

    private func prepare(_ request: HTTPRequest, timestamp: String) -> HTTPRequest {
        var prepared = request
        prepared.headers.removeAll { header in Self.signingHeaderNames.contains { asciiCaseInsensitiveEquals(header.name, $0) } }
        if prepared.header("host") == nil { prepared.headers.insert((name: "Host", value: Self.hostHeader(for: request.url)), at: 0) }
        prepared.headers.append((name: "X-Amz-Date", value: timestamp))
        if let token = credentials.sessionToken { prepared.headers.append((name: "X-Amz-Security-Token", value: token)) }
        if signsContentHash { prepared.headers.append((name: "X-Amz-Content-Sha256", value: payloadHash(request.body))) }
        return prepared
    }

    /// The headers `prepare` replaces. (No other character lower-cases to the ASCII letters in them, so comparing
    /// with ASCII case folding matches exactly what `lowercased()` would.)
    private static let signingHeaderNames = ["authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]

    /// Signs a prepared request's headers (every header it carries) and body.
    public func signature(for request: HTTPRequest, at date: Date) -> Signature {
        let (path, query) = Self.wirePathAndQuery(request.url)
        return signature(
            method: request.method, path: path, query: query, headers: request.headers, payloadHash: payloadHash(request.body), at: date
        )
    }

    /// The path and query exactly as they go on the request line (percent-encoding kept), without URLComponents.
    public static func wirePathAndQuery(_ url: URL) -> (path: String, query: String) {
        var text = url.absoluteString
        // Over the text's UTF-8 buffer: offsets, not string indices.
        return text.withUTF8 { bytes in
            var index = 0
            // Skip "scheme://authority".
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes[(colon + 1)...].starts(with: "//".utf8) {
                index = colon + 3
                while index < bytes.count, bytes[index] != UInt8(ascii: "/"), bytes[index] != UInt8(ascii: "?"), bytes[index] != UInt8(ascii: "#") {
                    index += 1
                }
            }
            var pathEnd = index
            while pathEnd < bytes.count, bytes[pathEnd] != UInt8(ascii: "?"), bytes[pathEnd] != UInt8(ascii: "#") { pathEnd += 1 }
            let path = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<pathEnd]), as: UTF8.self)
            var query = ""
            if pathEnd < bytes.count, bytes[pathEnd] == UInt8(ascii: "?") {
                let start = pathEnd + 1
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "#")) ?? bytes.count
                query = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            return (path.isEmpty ? "/" : path, query)
        }
    }

    /// Signs explicit parts. `path` and `query` are as on the wire (the request line); they are encoded once more.
    public func signature(
        method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String, at date: Date
    ) -> Signature {
        let (canonical, signedHeaders) = canonicalRequestBytes(method: method, path: path, query: query, headers: headers, payloadHash: payloadHash)
        // The date formatted once: the day is the timestamp's first eight characters.
        let timestamp = Self.timestamp(date)
        let day = String(timestamp.prefix(8))
        let scope = scope(day: day)
        let toSign = stringToSignBytes(canonicalRequest: canonical, timestamp: timestamp, scope: scope)
        let (authorization, hex) = authorization(day: day, scope: scope, signedHeaders: signedHeaders, stringToSign: toSign)
        return Signature(
            canonicalRequest: String(decoding: canonical, as: UTF8.self), stringToSign: String(decoding: toSign, as: UTF8.self),
            signedHeaders: String(decoding: signedHeaders, as: UTF8.self), signature: hex, authorization: authorization)
    }

    /// `<day>/<region>/<service>/aws4_request`, for a day already formatted.
    private func scope(day: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(day.utf8.count + region.utf8.count + service.utf8.count + 15)
        out += day.utf8
        out.append(UInt8(ascii: "/"))
        out += region.utf8
        out.append(UInt8(ascii: "/"))
        out += service.utf8
        out += "/aws4_request".utf8
        return String(decoding: out, as: UTF8.self)
    }

    /// The `Authorization` value and the signature's hex digits: the HMAC of `stringToSign` with the scope's signing
    /// key, written once into one buffer.
    private func authorization(day: String, scope: String, signedHeaders: [UInt8], stringToSign: [UInt8]) -> (text: String, signature: String) {
        let code = SigningKeyCache.shared.entry(secret: credentials.secretAccessKey, day: day, region: region, service: service).mac
            .authenticationCode(stringToSign)
        var out: [UInt8] = []
        out.reserveCapacity(96 + credentials.accessKeyID.utf8.count + scope.utf8.count + signedHeaders.count)
        out += "AWS4-HMAC-SHA256 Credential=".utf8
        out += credentials.accessKeyID.utf8
        out.append(UInt8(ascii: "/"))
        out += scope.utf8
        out += ", SignedHeaders=".utf8
        out += signedHeaders
        out += ", Signature=".utf8
        let hexStart = out.count
        Self.appendHex(code, to: &out)
        return (String(decoding: out, as: UTF8.self), String(decoding: out[hexStart...], as: UTF8.self))
    }

    /// Whether `signature` (32 bytes) is the HMAC-SHA256 of `stringToSign` with the signing key of `secret` for the
    /// scope's day, region and service, compared in constant time.
    package static func isValidSignature(
        _ signature: [UInt8], stringToSign: [UInt8], secret: String, day: String, region: String, service: String
    ) -> Bool {
        let code = SigningKeyCache.shared.entry(secret: secret, day: day, region: region, service: service).mac.authenticationCode(stringToSign)
        return KeyedHMACSHA256.constantTimeEquals(code, signature)
    }

    // MARK: - Stages

    /// The canonical request and its signed-header list.
    public func canonicalRequest(
        method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String
    ) -> (text: String, signedHeaders: String) {
        let (text, signed) = canonicalRequestBytes(method: method, path: path, query: query, headers: headers, payloadHash: payloadHash)
        return (String(decoding: text, as: UTF8.self), String(decoding: signed, as: UTF8.self))
    }

    /// `canonicalRequest` as UTF-8, built into one buffer: what gets hashed.
    package func canonicalRequestBytes(
        method: String, path: String, query: String, headers: [(name: String, value: String)], payloadHash: String
    ) -> (text: [UInt8], signedHeaders: [UInt8]) {
        // Lower-case names, values trimmed, grouped by name in first-seen order of values, names sorted. Names are
        // compared and written lower-cased byte by byte, so no lower-cased copy of a name is ever made.
        var order = Array(headers.indices)
        // Insertion sort by (name, position): stable, and a request has a handful of headers.
        for i in 1..<max(order.count, 1) {
            let current = order[i]
            var j = i
            while j > 0, Self.compareLowercased(headers[current].name, headers[order[j - 1]].name) < 0 {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = current
        }
        // Room for all of it at once (a session token alone is ~200 bytes; growing past a guess copied the buffer).
        var capacity = method.utf8.count + path.utf8.count + query.utf8.count + payloadHash.utf8.count + 8
        for header in headers { capacity += 2 * header.name.utf8.count + header.value.utf8.count + 3 }
        var out: [UInt8] = []
        out.reserveCapacity(capacity + capacity / 4)
        if method.utf8.contains(where: { (97...122).contains($0) || $0 >= 0x80 }) { out += method.uppercased().utf8 } else { out += method.utf8 }
        out.append(0x0A)
        if path == "/" || path.isEmpty { out.append(UInt8(ascii: "/")) } else { out += canonicalURI(path).utf8 }
        out.append(0x0A)
        if !query.isEmpty { out += Self.canonicalQuery(query).utf8 }
        out.append(0x0A)
        var signed: [UInt8] = []
        signed.reserveCapacity(96)
        var index = 0
        while index < order.count {
            let name = headers[order[index]].name
            if !signed.isEmpty { signed.append(UInt8(ascii: ";")) }
            Self.appendLowercased(name, to: &signed)
            Self.appendLowercased(name, to: &out)
            out.append(UInt8(ascii: ":"))
            Self.appendTrimmed(headers[order[index]].value, to: &out)
            index += 1
            while index < order.count, Self.compareLowercased(headers[order[index]].name, name) == 0 {
                out.append(UInt8(ascii: ","))
                Self.appendTrimmed(headers[order[index]].value, to: &out)
                index += 1
            }
            out.append(0x0A)
        }
        out.append(0x0A)
        out += signed
        out.append(0x0A)
        out += payloadHash.utf8
        return (out, signed)
    }

    /// Compares two ASCII header names as their lower-cased forms would compare (byte order).
    package static func compareLowercased(_ a: String, _ b: String) -> Int {
        func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
            let count = min(x.count, y.count)
            var index = 0
            while index < count {
                let lx = x[index] >= 65 && x[index] <= 90 ? x[index] | 0x20 : x[index]
                let ly = y[index] >= 65 && y[index] <= 90 ? y[index] | 0x20 : y[index]
                if lx != ly { return lx < ly ? -1 : 1 }
                index += 1
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        }
        if let result = a.utf8.withContiguousStorageIfAvailable({ x in b.utf8.withContiguousStorageIfAvailable { y in compare(x, y) } }), let result {
            return result
        }
        let x = Array(a.utf8), y = Array(b.utf8)
        return x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in compare(xp, yp) } }
    }

    static func appendLowercased(_ text: String, to out: inout [UInt8]) {
        // Copied whole, then folded in place: no append per byte.
        let start = out.count
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
        out.withUnsafeMutableBufferPointer { buffer in
            for index in start..<buffer.count where buffer[index] >= 65 && buffer[index] <= 90 { buffer[index] |= 0x20 }
        }
    }

    /// A header value trimmed and with runs of spaces collapsed, appended (as `trimmedHeaderValue` makes it).
    static func appendTrimmed(_ value: String, to out: inout [UInt8]) {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        // Fast path: a value with nothing to trim or collapse (a token, a date) is copied whole.
        let copied: Bool? = value.utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, let last = bytes.last, !isSpace(first), !isSpace(last) else { return false }
            // No byte at or below the space at all (the usual case, checked without a branch per byte): clean.
            var lowest: UInt8 = 0xFF
            for byte in bytes { lowest = min(lowest, byte) }
            if lowest > 0x20 {
                out.append(contentsOf: bytes)
                return true
            }
            var previousSpace = false
            for byte in bytes {
                let space = isSpace(byte)
                if space && (previousSpace || byte != 0x20) { return false }
                previousSpace = space
            }
            out.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        var pendingSpace = false
        var wrote = false
        for byte in value.utf8 {
            if isSpace(byte) {
                pendingSpace = wrote
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
                wrote = true
            }
        }
    }

    /// ASCII lower-casing (header names are ASCII tokens), without Unicode case mapping.
    package static func lowercasedASCII(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { (65...90).contains($0) }) else { return text }
        // Written in place: no intermediate byte array (short names then need no allocation at all).
        return String(unsafeUninitializedCapacity: utf8.count) { buffer in
            var index = 0
            for byte in utf8 {
                buffer[index] = (65...90).contains(byte) ? byte | 0x20 : byte
                index += 1
            }
            return index
        }
    }

    /// The wire path normalized (unless disabled) and URI-encoded segment by segment.
    public func canonicalURI(_ path: String) -> String {
        if path == "/" || path.isEmpty { return "/" }
        let raw = path.isEmpty ? "/" : path
        var segments = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if normalizesPath {
            var stack: [String] = []
            for segment in segments.dropFirst() {
                switch segment {
                case "", ".": continue
                case "..": _ = stack.popLast()
                default: stack.append(segment)
                }
            }
            let trailing = raw.count > 1 && (raw.hasSuffix("/") || raw.hasSuffix("/.") || raw.hasSuffix("/.."))
            let joined = "/" + stack.map(Self.uriEncode).joined(separator: "/")
            return trailing && !stack.isEmpty ? joined + "/" : joined
        }
        segments = segments.map { encodesPathOnce ? Self.uriEncode(Self.percentDecode($0)) : Self.uriEncode($0) }
        let joined = segments.joined(separator: "/")
        return joined.hasPrefix("/") ? joined : "/" + joined
    }

    /// `AWS4-HMAC-SHA256`, the timestamp, the scope and the hex SHA-256 of the canonical request.
    public func stringToSign(canonicalRequest: String, at date: Date) -> String {
        String(decoding: stringToSignBytes(canonicalRequest: Array(canonicalRequest.utf8), at: date), as: UTF8.self)
    }

    /// `stringToSign` as UTF-8, from the canonical request's bytes.
    package func stringToSignBytes(canonicalRequest: [UInt8], at date: Date) -> [UInt8] {
        stringToSignBytes(canonicalRequest: canonicalRequest, timestamp: Self.timestamp(date), scope: scope(at: date))
    }

    package func stringToSignBytes(canonicalRequest: [UInt8], timestamp: String, scope: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        out += "AWS4-HMAC-SHA256\n".utf8
        out += timestamp.utf8
        out.append(0x0A)
        out += scope.utf8
        out.append(0x0A)
        Self.appendHex(SHA256.hash(data: canonicalRequest), to: &out)
        return out
    }

    /// `<yyyyMMdd>/<region>/<service>/aws4_request`.
    public func scope(at date: Date) -> String {
        "\(Self.day(date))/\(region)/\(service)/aws4_request"
    }

    /// HMAC chain `AWS4<secret>` → date → region → service → `aws4_request`.
    public func signingKey(at date: Date) -> [UInt8] {
        Self.cachedSigningKey(secret: credentials.secretAccessKey, day: Self.day(date), region: region, service: service)
    }

    /// `signingKey` through a small process-wide cache: the key changes only with the secret, day, region and service.
    public static func cachedSigningKey(secret: String, day: String, region: String, service: String) -> [UInt8] {
        SigningKeyCache.shared.entry(secret: secret, day: day, region: region, service: service).key
    }

    public static func signingKey(secret: String, day: String, region: String, service: String) -> [UInt8] {
        var key = Array(("AWS4" + secret).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: SymmetricKey(data: key)))
        }
        return key
    }

    // MARK: - Encoding helpers

    /// Query parameters decoded, re-encoded strictly (RFC 3986 unreserved only), sorted by key then value.
    public static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = formDecode(String(pieces[0]))
            let value = pieces.count > 1 ? formDecode(String(pieces[1])) : ""
            pairs.append((uriEncode(key), uriEncode(value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Percent-encodes every byte but `A-Z a-z 0-9 - . _ ~`, with upper-case hex.
    public static func uriEncode(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes only (`+` stays a plus, as in a path). Invalid escapes stay as written.
    public static func percentDecode(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        return formDecode(text.replacingOccurrences(of: "+", with: "%2B"))
    }

    /// Decodes `%XX` escapes and `+` (as a space): the inverse of form encoding. Invalid escapes stay as written.
    public static func formDecode(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2, let high = hexValue(iterator[iterator.startIndex]),
                let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Trims and collapses runs of spaces, as SigV4 canonical headers require.
    package static func trimmedHeaderValue(_ value: String) -> String {
        let bytes = value.utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        // Fast path: nothing to trim or collapse (over the contiguous UTF-8 of a native string when there is one).
        func isClean<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
            if let first = bytes.first, isSpace(first) { return false }
            var previousSpace = false
            var last: UInt8 = 0
            for byte in bytes {
                let space = isSpace(byte)
                if space && (previousSpace || byte != 0x20) { return false }
                previousSpace = space
                last = byte
            }
            return !isSpace(last)
        }
        if bytes.withContiguousStorageIfAvailable(isClean) ?? isClean(bytes) { return value }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for byte in bytes {
            if isSpace(byte) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func hexSHA256(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        appendHex(SHA256.hash(data: bytes), to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        appendHex(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A digest's bytes as lower-case hex, read through its buffer rather than its iterator.
    static func appendHex(_ digest: SHA256Digest, to out: inout [UInt8]) {
        // Written into room made once (an append per digit checked capacity and uniqueness 64 times).
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: SHA256Digest.byteCount * 2))
        out.withUnsafeMutableBufferPointer { buffer in
            digest.withUnsafeBytes { bytes in
                for index in 0..<bytes.count {
                    let high = bytes[index] >> 4, low = bytes[index] & 0xF
                    buffer[start + 2 * index] = high < 10 ? high + 48 : high + 87
                    buffer[start + 2 * index + 1] = low < 10 ? low + 48 : low + 87
                }
            }
        }
    }

    static func appendHex<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to out: inout [UInt8]) {
        for byte in bytes {
            out.append(hexDigitsLower[Int(byte >> 4)])
            out.append(hexDigitsLower[Int(byte & 0xF)])
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let hexDigitsLower = Array("0123456789abcdef".utf8)

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// `host` or `host:port` when the port is not the scheme's default.
    public static func hostHeader(for url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port else { return host }
        // A parsed URL's scheme is ASCII: folding ASCII case is what `lowercased()` did.
        let scheme = url.scheme ?? ""
        if (asciiCaseInsensitiveEquals(scheme, "https") && port == 443) || (asciiCaseInsensitiveEquals(scheme, "http") && port == 80) { return host }
        return "\(host):\(port)"
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    public static func timestamp(_ date: Date) -> String {
        CivilTime.compact(Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// `yyyyMMdd` in UTC.
    public static func day(_ date: Date) -> String {
        CivilTime.compactDay(Int(date.timeIntervalSince1970.rounded(.down)))
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'`.
    public static func parseTimestamp(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let y = number(0..<4), let mo = number(4..<6), let d = number(6..<8), let h = number(9..<11), let mi = number(11..<13),
            let s = number(13..<15), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        return Date(timeIntervalSince1970: Double(CivilTime.seconds(CivilTime.Components(year: y, month: mo, day: d, hour: h, minute: mi, second: s))))
    }
}

/// Derived SigV4 signing keys by secret, day, region and service, each with an HMAC already keyed with it (its
/// padded key blocks hashed), which callers copy and finish; bounded, thread-safe.
///
/// Entries are found by a SHA-256 digest of the secret, never by the secret itself: the process-wide cache
/// outlives the credentials it is handed, and keyed by plaintext it would hold every secret access key it ever saw
/// (up to 1024) for a heap dump, a debugger or a `Mirror` to read. The digest is salted with random bytes drawn
/// once per cache, so it identifies a secret only inside this process.
final class SigningKeyCache: @unchecked Sendable {
    struct Entry {
        var key: [UInt8]
        var mac: KeyedHMACSHA256
    }

    /// 128 bits that identify a secret inside this process: two SipHash values (Swift's `Hasher`, seeded at random
    /// per process) of the secret after a random salt drawn per cache. As the SHA-256 digest it replaces, it names a
    /// secret without holding it; unlike a SHA-256, it costs nanoseconds, not a hash per signature.
    private struct SecretDigest: Hashable {
        var first: Int
        var second: Int
    }

    private struct Name: Hashable {
        var secretDigest: SecretDigest
        var day: String
        var region: String
        var service: String
    }

    static let shared = SigningKeyCache()
    private let lock = NSLock()
    private var entries: [Name: Entry] = [:]
    private let salts: (UInt64, UInt64, UInt64, UInt64)

    init() {
        let random = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        func word(_ index: Int) -> UInt64 { random[(index * 8)..<(index * 8 + 8)].reduce(0) { $0 << 8 | UInt64($1) } }
        salts = (word(0), word(1), word(2), word(3))
    }

    private func digest(_ secret: String) -> SecretDigest {
        var first = Hasher()
        var second = Hasher()
        first.combine(salts.0)
        first.combine(salts.1)
        second.combine(salts.2)
        second.combine(salts.3)
        var secret = secret
        secret.withUTF8 { bytes in
            first.combine(bytes: UnsafeRawBufferPointer(bytes))
            second.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
        return SecretDigest(first: first.finalize(), second: second.finalize())
    }

    func entry(secret: String, day: String, region: String, service: String) -> Entry {
        let name = Name(secretDigest: digest(secret), day: day, region: region, service: service)
        lock.lock()
        if let entry = entries[name] {
            lock.unlock()
            return entry
        }
        lock.unlock()
        let key = SigV4Signer.signingKey(secret: secret, day: day, region: region, service: service)
        let entry = Entry(key: key, mac: KeyedHMACSHA256(key: key))
        lock.lock()
        if entries.count >= 1024 { entries.removeAll(keepingCapacity: true) }
        entries[name] = entry
        lock.unlock()
        return entry
    }
}

/// HMAC-SHA256 (RFC 2104) with its key's padded blocks hashed once: each code then costs the message's blocks and
/// two finishing blocks. swift-crypto's `HMAC` computes the same code, but its `update` is generic over
/// `DataProtocol` and not inlinable, so every call went through unspecialized code (a tenth of a signature's cost);
/// this type calls `SHA256.update(bufferPointer:)` directly. Checked against `HMAC<SHA256>` in the tests.
struct KeyedHMACSHA256 {
    private var inner = SHA256()
    private var outer = SHA256()

    init(key: [UInt8]) {
        var block = key.count > 64 ? Array(SHA256.hash(data: key)) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        let innerPad = block.map { $0 ^ 0x36 }
        let outerPad = block.map { $0 ^ 0x5C }
        innerPad.withUnsafeBytes { inner.update(bufferPointer: $0) }
        outerPad.withUnsafeBytes { outer.update(bufferPointer: $0) }
    }

    func authenticationCode(_ message: [UInt8]) -> SHA256Digest {
        var inner = self.inner
        message.withUnsafeBytes { inner.update(bufferPointer: $0) }
        var outer = self.outer
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return outer.finalize()
    }

    /// Whether `code` and `expected` hold the same bytes, in time that depends only on their lengths.
    static func constantTimeEquals(_ code: SHA256Digest, _ expected: [UInt8]) -> Bool {
        guard expected.count == SHA256Digest.byteCount else { return false }
        return code.withUnsafeBytes { bytes in
            var difference: UInt8 = 0
            for index in 0..<expected.count { difference |= bytes[index] ^ expected[index] }
            return difference == 0
        }
    }
}
