import Foundation
import Model
import Policy
import Render
import Resolution
import Testing

@Suite struct DiagramContentTests {
    @Test func theDefaultContentGivesEveryDiagram() throws {
        let model = try Fixtures.defaultModel()
        let names = Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light).map(\.name)
        var expected = ["overview"]
        for option in model.options {
            expected += ["\(option.id)-architecture", "\(option.id)-flow"] + option.steps.indices.map { "\(option.id)-step-\($0 + 1)" }
        }
        #expect(names == expected)
        #expect(Set(names).count == names.count)
    }

    @Test func overviewHoldsEveryAccountFunctionRoleTableAndALegend() throws {
        let model = try Fixtures.defaultModel()
        let overview = Diagrams.overview(model, resolution: Resolver.resolve(model), theme: .light)
        #expect(overview.graph.clusters.map(\.id) == model.accounts.map { "account_" + $0.key })
        let ids = Set(overview.graph.allNodes.map(\.id))
        for function in model.functions { #expect(ids.contains("function:" + function.key)) }
        for role in model.roles { #expect(ids.contains("role:" + role.key)) }
        for table in model.tables { #expect(ids.contains("table:" + table.key)) }
        #expect(ids.contains("service:sts"))
        let dot = overview.dot
        for account in model.accounts {
            #expect(dot.contains(account.name))
            #expect(dot.contains(account.id))
        }
        for option in model.options { #expect(dot.contains(option.title)) }
        // Each option's edges in its own colour.
        let colors = Set(overview.graph.edges.compactMap { edge -> String? in
            guard case .text(let color)? = edge.attributes["color"], edge.attributes["constraint"] == nil else { return nil }
            return color
        })
        #expect(colors.count == model.options.count)
    }

    @Test func architectureEdgesAreNumberedInFlowOrderAndSayWhereThePermissionLives() throws {
        let model = try Fixtures.defaultModel()
        let option = try #require(model.option("trusted-role"))
        let diagram = Diagrams.architecture(model, option: option, resolution: Resolver.resolve(model), theme: .light)
        let labels = diagram.graph.edges.map { DOTWriter.write(DOTGraph(name: "x", edges: [$0])) }.filter { $0.contains("❶") || $0.contains("❷") || $0.contains("❸") }
        #expect(labels.count == 4)  // AssumeRole (to STS, then STS to the role), GetItem, DeleteItem
        #expect(labels[0].contains("❶") && labels[0].contains("sts:AssumeRole"))
        #expect(labels[0].contains("trust policy of DynamoDBAccessRole"))
        #expect(labels[0].contains("Sid TrustLambdaExecutionRoleInA"))
        #expect(labels[0].contains("policy AssumeDataRole"))
        #expect(labels[2].contains("❷") && labels[2].contains("dynamodb:GetItem") && labels[2].contains("OrdersTableAccess"))

        let direct = try #require(model.option("table-policy"))
        let tableDOT = Diagrams.architecture(model, option: direct, resolution: Resolver.resolve(model), theme: .light).dot
        #expect(tableDOT.contains("table policy of Orders"))
        #expect(tableDOT.contains("Sid AllowLambdaRoleInA"))
        #expect(tableDOT.contains("\"index:Orders/ByStatus\""))
    }

    @Test func deniedStepsAreRedDashedWithTheReason() throws {
        let model = try Fixtures.defaultModel()
        let option = try #require(model.option("trusted-role"))
        let theme = Theme.light
        let diagram = Diagrams.architecture(model, option: option, resolution: Resolver.resolve(model), theme: theme)
        let denied = try #require(diagram.graph.edges.first { DOTWriter.write(DOTGraph(name: "x", edges: [$0])).contains("dynamodb:DeleteItem") })
        #expect(denied.attributes["style"] == .text("dashed"))
        #expect(denied.attributes["color"] == .text(theme.denied))
        let text = DOTWriter.write(DOTGraph(name: "x", edges: [denied]))
        #expect(text.contains("implicit deny"))
        #expect(text.contains("no identity policy of DynamoDBAccessRole allows it"))
        // Allowed steps are solid.
        let allowed = try #require(diagram.graph.edges.first { DOTWriter.write(DOTGraph(name: "x", edges: [$0])).contains("dynamodb:GetItem") })
        #expect(allowed.attributes["style"] == nil)
    }

    /// A step the resolution denies is drawn denied, with the statement that decides and AWS's message, whatever the
    /// step expects.
    @Test func theResolutionDecidesWhatTheDiagramSays() throws {
        var model = try Fixtures.defaultModel()
        let option = try #require(model.option("table-policy"))
        let table = try #require(model.tables.firstIndex { $0.key == "Orders" })
        let deny = try #require(PolicyParser.parse(
            json: #"{"Version": "2012-10-17", "Statement": [{"Sid": "DenyEveryone", "Effect": "Deny", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "*"}]}"#,
            file: "deny.json", kind: .resource).document)
        model.tables[table].policy?.document.statements.insert(contentsOf: deny.statements, at: 0)
        let diagram = Diagrams.architecture(model, option: option, resolution: Resolver.resolve(model), theme: .light)
        let edge = try #require(diagram.graph.edges.first { DOTWriter.write(DOTGraph(name: "x", edges: [$0])).contains("dynamodb:GetItem") })
        #expect(edge.attributes["style"] == .text("dashed"))
        let text = DOTWriter.write(DOTGraph(name: "x", edges: [edge]))
        #expect(text.contains("explicit deny"))
        #expect(text.contains("table policy of Orders"))
        #expect(text.contains("Sid DenyEveryone"))
        #expect(text.contains("with an explicit deny in a resource-based policy"))  // AWS's message as the tooltip
    }

    @Test func stepFramesHighlightStepsUpToNAndFadeTheRest() throws {
        let model = try Fixtures.defaultModel()
        let theme = Theme.light
        for option in model.options {
            let frames = Diagrams.stepFrames(model, option: option, resolution: Resolver.resolve(model), theme: theme)
            #expect(frames.count == option.steps.count)
            #expect(frames.map(\.name) == option.steps.indices.map { "\(option.id)-step-\($0 + 1)" })
            for (offset, frame) in frames.enumerated() {
                let n = offset + 1
                // Same nodes and edges in every frame.
                #expect(frame.graph.allNodes.map(\.id) == frames[0].graph.allNodes.map(\.id))
                #expect(frame.graph.edges.map { "\($0.from)->\($0.to)" } == frames[0].graph.edges.map { "\($0.from)->\($0.to)" })
                for edge in frame.graph.edges where edge.attributes["constraint"] == nil {
                    let text = DOTWriter.write(DOTGraph(name: "x", edges: [edge]))
                    let number = (1...option.steps.count).first { text.contains(badge($0)) } ?? 0
                    let faded = edge.attributes["color"] == .text(theme.faded)
                    #expect(faded == (number > n), "frame \(n), step \(number) of \(option.id)")
                }
                #expect(frame.dot.contains("▶"))
            }
        }
    }

    /// Frames differ in colour only: Graphviz places every node, edge and label at the same spot in each.
    @Test func stepFramesKeepTheLayout() throws {
        let model = try Fixtures.defaultModel()
        let option = try #require(model.option("trusted-role"))
        let frames = Diagrams.stepFrames(model, option: option, resolution: Resolver.resolve(model), theme: .light)
        let first = try Fixtures.positions(frames[0].dot)
        #expect(!first.isEmpty)
        for frame in frames.dropFirst() {
            #expect(try Fixtures.positions(frame.dot) == first)
        }
    }

    @Test func flowIsAChainOfHops() throws {
        let model = try Fixtures.defaultModel()
        let option = try #require(model.option("trusted-role"))
        let flow = Diagrams.flow(model, option: option, resolution: Resolver.resolve(model), theme: .light)
        #expect(flow.graph.nodes.map(\.id) == ["function:ordersFunction", "service:sts", "role:DynamoDBAccessRole", "table:Orders"])
        #expect(flow.title.contains("Lambda → STS → Role in B → DynamoDB"))
        #expect(flow.graph.attributes["rankdir"] == .text("LR"))
    }

    @Test func hostileNamesGiveDOTThatParsesEverywhere() throws {
        let model = try Fixtures.hostileModel()
        for theme in [Theme.light, .dark, .slide] {
            for diagram in Diagrams.all(model, resolution: Resolver.resolve(model), theme: theme) {
                let svg = String(decoding: try DiagramFiles.bytes(diagram, format: .svg), as: UTF8.self)
                #expect(svg.contains("d&lt;e&gt;f{g}h|i&amp;j"), "\(diagram.name)")
                #expect(!svg.contains("<e>"))
                if theme == .light, let result = try Fixtures.runDot(diagram.dot) {
                    #expect(result.status == 0, "\(diagram.name): \(result.errors)")
                }
            }
        }
        // File names stay safe even when an option id is not.
        #expect(Diagrams.all(model, resolution: Resolver.resolve(model), theme: .light).allSatisfy { PolicyFiles.safeFileName($0.name) == $0.name })
    }

    @Test func everyDiagramOfEveryThemeParsesWithTheDotCommand() throws {
        let model = try Fixtures.defaultModel()
        for theme in [Theme.light, .dark, .slide] {
            for diagram in Diagrams.all(model, resolution: Resolver.resolve(model), theme: theme) {
                guard let result = try Fixtures.runDot(diagram.dot) else { return }  // no `dot` on this machine
                #expect(result.status == 0, "\(diagram.name) (\(theme.name)): \(result.errors)")
                #expect(result.errors.isEmpty, "\(diagram.name) (\(theme.name)) warned: \(result.errors)")
            }
        }
    }

    private func badge(_ n: Int) -> String { String(Character(Unicode.Scalar(0x2775 + UInt32(n))!)) }
}
