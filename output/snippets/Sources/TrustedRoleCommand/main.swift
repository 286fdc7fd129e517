// `swift run --package-path output/snippets trusted-role`: the snippet against AWS, configured by the standard
// environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ENDPOINT_URL…).
import AWSClient
import Foundation
import TrustedRole

do {
    try await TrustedRole.run(AWSConfiguration.fromEnvironment())
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
