import Foundation
import Model
import Policy
import Render
import Testing

@Suite struct PolicyFilesTests {
    static let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../content").standardized.path

    @Test func writesEveryPolicyOfTheDefaultContentExactly() throws {
        let model = try ModelLoader.load(contentDirectory: Self.content)
        let files = PolicyFiles.render(model)
        let paths = files.map(\.path)
        #expect(paths.contains("policies/B/role-DynamoDBAccessRole-trust.json"))
        #expect(paths.contains("policies/B/table-Orders-policy.json"))
        #expect(paths.contains("policies/A/role-LambdaExecutionRole-policy-AssumeDataRole.json"))
        // A policy read from a file comes out byte for byte as written.
        let tablePolicy = try String(contentsOfFile: Self.content + "/policies/b-orders-table-policy.json", encoding: .utf8)
        #expect(files.first { $0.path == "policies/B/table-Orders-policy.json" }?.text == tablePolicy)
    }

    @Test func unsafeCharactersNeverReachFileNames() {
        #expect(PolicyFiles.safeFileName("../etc/passwd") == "_._etc_passwd")
        #expect(PolicyFiles.safeFileName("a b/c") == "a_b_c")
    }
}
