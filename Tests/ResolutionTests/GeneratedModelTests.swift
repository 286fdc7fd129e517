import Model
import Resolution
import TestSupport
import Testing

/// The generator's models are ones a user could write: as `model.yml`, the loader accepts them and they decide alike.
@Suite struct GeneratedModelTests {
    @Test(arguments: 0..<40) func loadsBackWithTheSameDecisions(index: Int) throws {
        let model = ModelGenerator.model(seed: ModelGenerator.testSeed, index: index)
        let content = try TemporaryContent(model: ModelGenerator.yaml(model))
        defer { content.remove() }
        let loaded = try content.load()
        #expect(loaded.roles.map(\.arn) == model.roles.map(\.arn))
        #expect(loaded.functions.map(\.sessionARN) == model.functions.map(\.sessionARN))
        #expect(loaded.tables.map(\.arn) == model.tables.map(\.arn))
        let expected = Resolver.resolve(model).options.flatMap(\.steps)
        let actual = Resolver.resolve(loaded).options.flatMap(\.steps)
        #expect(actual.map(\.decision) == expected.map(\.decision))
        #expect(actual.map(\.message) == expected.map(\.message))
        #expect(actual.map(\.expected) == expected.map(\.expected))
        #expect(actual.map { $0.cause.map { "\($0.kind) \($0.slot)" } } == expected.map { $0.cause.map { "\($0.kind) \($0.slot)" } })
    }

    @Test func theSameSeedAndIndexGiveTheSameModel() {
        #expect(ModelGenerator.model(seed: 42, index: 7) == ModelGenerator.model(seed: 42, index: 7))
        #expect(ModelGenerator.model(seed: 42, index: 7) != ModelGenerator.model(seed: 42, index: 8))
    }
}
