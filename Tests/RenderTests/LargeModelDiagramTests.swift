import Model
import Render
import Resolution
import Source
import Testing

/// A large organisation's model still draws: the overview shows what the options use, and a build refuses, before
/// drawing, more diagrams than it can hold.
@Suite struct LargeModelDiagramTests {
    @Test func theOverviewOfALargeModelShowsWhatTheOptionsUse() throws {
        var model = try Fixtures.defaultModel()
        let template = model.roles[0]
        for number in 0..<100 {
            var role = template
            role.key = "Unused\(number)"
            role.name = "Unused\(number)"
            model.roles.append(role)
        }
        let dot = Diagrams.overview(model, resolution: Resolver.resolve(model), theme: .light).dot
        #expect(!dot.contains("role:Unused0"))
        #expect(dot.contains("\"role:LambdaExecutionRole\""))
        #expect(dot.contains("\"role:DynamoDBAccessRole\""))
        #expect(dot.contains("\"index:Orders/ByStatus\""))
        #expect(dot.contains("Showing the 5 functions, roles, tables and indexes the options use, of 105 in the model"))
    }

    @Test func theDefaultOverviewShowsEverything() throws {
        let model = try Fixtures.defaultModel()
        #expect(!Diagrams.overview(model, resolution: Resolver.resolve(model), theme: .light).dot.contains("Showing the"))
    }

    @Test func moreDiagramsThanABuildHoldsIsALocatedErrorBeforeAnyIsDrawn() throws {
        var model = try Fixtures.defaultModel()
        #expect(throws: Never.self) { try Diagrams.checkCount(model, limit: ContentLimits.standard.diagrams) }
        var step = model.options[0].steps[0]
        step.location = SourceLocation(file: "model.yml", line: 7, column: 9)
        model.options[0].steps = Array(repeating: step, count: 600)
        do {
            try Diagrams.checkCount(model, limit: 500)
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == [
                "model.yml:7:9: error: the options make 615 diagrams (an overview, and an architecture, a flow and a frame per step of each option), more than 500, the limit for one build (see README, 'Limits'); `check` proves them without drawing"
            ])
        }
    }
}
