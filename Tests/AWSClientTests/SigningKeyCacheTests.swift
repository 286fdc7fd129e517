@testable import AWSClient
import Foundation
import Testing

/// The signing-key cache keeps its speed without keeping secrets where they can be read back.
@Suite struct SigningKeyCacheTests {
    /// Every string and byte run reachable from `value`, through stored properties, dictionaries and arrays.
    func reachableText(_ value: Any, depth: Int = 0) -> [String] {
        if let text = value as? String { return [text] }
        if let bytes = value as? [UInt8] { return [String(decoding: bytes, as: UTF8.self)] }
        guard depth < 12 else { return [] }
        return Mirror(reflecting: value).children.flatMap { reachableText($0.value, depth: depth + 1) }
    }

    @Test func noSecretIsADictionaryKey() {
        let cache = SigningKeyCache()
        let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCY" + UUID().uuidString.prefix(10)
        _ = cache.entry(secret: secret, day: "20150830", region: "us-east-1", service: "iam")
        let texts = reachableText(cache)
        #expect(texts.contains("20150830"))  // the walk reaches the keys
        #expect(!texts.contains { $0.contains(secret) })
    }

    @Test func entriesAreTheDerivedKeysPerSecretDayRegionAndService() {
        let cache = SigningKeyCache()
        let derived = SigV4Signer.signingKey(secret: "secret-a", day: "20150830", region: "us-east-1", service: "iam")
        #expect(cache.entry(secret: "secret-a", day: "20150830", region: "us-east-1", service: "iam").key == derived)
        #expect(cache.entry(secret: "secret-a", day: "20150830", region: "us-east-1", service: "iam").key == derived)
        #expect(cache.entry(secret: "secret-b", day: "20150830", region: "us-east-1", service: "iam").key != derived)
        #expect(cache.entry(secret: "secret-a", day: "20150831", region: "us-east-1", service: "iam").key != derived)
        #expect(cache.entry(secret: "secret-a", day: "20150830", region: "eu-west-1", service: "iam").key != derived)
        #expect(cache.entry(secret: "secret-a", day: "20150830", region: "us-east-1", service: "sts").key != derived)
    }
}
