import AWSClient
import Foundation

extension HTTPRequest {
    /// The headers as sent, `Name: value`, in order; the `Authorization` value without its signature (the signer's
    /// own tests check signatures against published vectors; here what matters is the scope and what is signed).
    var wireHeaders: [String] {
        headers.map { header in
            var value = header.value
            if header.name == "Authorization", let range = value.range(of: ", Signature=") { value = String(value[..<range.lowerBound]) }
            return "\(header.name): \(value)"
        }
    }

    /// `https://host/path?query` as on the request line.
    var wireURL: String { url.absoluteString }
}

/// Runs `body`, which must throw an `AWSError`, and returns it (`nil`, recorded by the caller's `#require`, otherwise).
func awsError(_ body: () async throws -> Void) async -> AWSError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? AWSError
    }
}

/// The credential scope and timestamp `testConfiguration` signs with (its clock: 2026-11-18T11:06:40Z).
enum TestSigning {
    static let timestamp = "20261118T110640Z"
    static func authorization(_ service: String, _ signedHeaders: String) -> String {
        "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261118/us-east-1/\(service)/aws4_request, SignedHeaders=\(signedHeaders)"
    }
}
