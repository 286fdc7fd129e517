import Foundation
@testable import Model
import Source
import Testing

/// Every input `make fuzz` found that broke something, kept as a test (see Fuzz/README.md).
@Suite struct FuzzRegressionTests {
    /// FuzzYAMLLoader, crash-09a9fb78: the document `.1`. YAML reads it as a float, and the tree kept it as the number
    /// `.1`, which is not JSON: an inline policy's condition value `.5` or `1_000` made the policy file and model.json
    /// that build writes invalid JSON. YAML numbers JSON does not have are now text.
    @Test(arguments: [".1", "1_000", "0x1F", "0o17", "+1", "012", ".inf", "-.Inf", ".nan", "1:30", "1.", "190:20:30.15"])
    func yamlNumbersJSONDoesNotHaveAreText(_ text: String) throws {
        let value = try #require(YAMLReader.parse("a: \(text)\n", file: "m.yml").value)
        #expect(value["a"]?.kind == .string(text))
        // The tree, written as JSON, reads back the same (what the fuzz target checks).
        let reread = try #require(JSONReader.parse(JSONWriter.write(value), file: "m.json").value)
        #expect(reread.jsonText == value.jsonText)
    }

    @Test(arguments: ["0", "-1", "12", "1.5", "-0.25e-3", "1E9", "111111111111"])
    func yamlNumbersJSONHasStayNumbers(_ text: String) throws {
        let value = try #require(YAMLReader.parse("a: \(text)\n", file: "m.yml").value)
        #expect(value["a"]?.kind == .number(text))
    }

    @Test func theWholeDocumentIsANumberJSONDoesNotHave() throws {
        let value = try #require(YAMLReader.parse(".1", file: "m.yml").value)
        #expect(JSONReader.parse(JSONWriter.write(value), file: "m.json").value?.jsonText == value.jsonText)
    }
}
