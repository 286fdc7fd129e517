public import Model
import Policy
public import Resolution
import Source

/// The runnable Swift snippets: a Swift package with one executable per option, generated from the model.
///
/// Each option gets a library target holding `public func run(_ aws: AWSConfiguration) async throws` — the text the
/// guide shows, byte for byte (`source(for:)`) — and a three-line executable (product name = the option id) that runs
/// it with the standard AWS environment. Generated Swift Testing tests run every snippet against the AWS simulator
/// loaded with the same content, and break the model (trust policy, identity policies, table policy) to show each
/// snippet fails with the error the guide describes. Pure: model in, files out.
public enum Snippets {
    /// Where the generated package finds Trustflow and the content.
    public struct Location: Sendable, Hashable {
        /// A released Trustflow, named by its git URL and a version (`.package(url:from:)`).
        public struct Release: Sendable, Hashable {
            public var url: String
            public var version: String
            public init(url: String, version: String) {
                self.url = url
                self.version = version
            }
        }

        /// The Trustflow checkout holding the AWSClient/AWSMock libraries, as written into `Package.swift`: relative to
        /// the package folder (`../..` for `output/snippets` in this repository), or absolute.
        public var trustflowPath: String
        /// When set, the package depends on this release instead of `trustflowPath`.
        public var release: Release?
        /// The content folder, as the generated tests load it: relative to the package folder, or absolute.
        public var contentPath: String

        public init(trustflowPath: String, contentPath: String, release: Release? = nil) {
            self.trustflowPath = trustflowPath
            self.contentPath = contentPath
            self.release = release
        }

        /// `output/snippets` inside the repository: Trustflow is `../..`, the content `../../content`.
        public static func inRepository(contentDirectory: String = "content") -> Location {
            Location(trustflowPath: "../..", contentPath: contentDirectory.hasPrefix("/") ? contentDirectory : "../../" + contentDirectory)
        }

        /// The package at `package` (an absolute, resolved path) reaching the checkout `trustflow` and the content
        /// `content` by relative paths, so the output folder can move with them.
        public static func relative(package: String, trustflow: String, content: String, release: Release? = nil) -> Location {
            Location(trustflowPath: relativePath(from: package, to: trustflow), contentPath: relativePath(from: package, to: content), release: release)
        }

        /// The relative path from the folder `from` to `to`, both absolute (`/a/b/c`, `/a/d` → `../../d`).
        public static func relativePath(from: String, to: String) -> String {
            let start = from.split(separator: "/").map(String.init)
            let end = to.split(separator: "/").map(String.init)
            var common = 0
            while common < start.count, common < end.count, start[common] == end[common] { common += 1 }
            let parts = Array(repeating: "..", count: start.count - common) + end[common...]
            return parts.isEmpty ? "." : parts.joined(separator: "/")
        }
    }

    /// One option's targets.
    public struct Names: Sendable, Hashable {
        /// The product: the option id (`swift run --package-path output/snippets trusted-role`).
        public var product: String
        /// The library module holding `run` (`TrustedRole`).
        public var module: String
        /// The executable module (`TrustedRoleCommand`).
        public var command: String
    }

    /// The services the snippets have a client for (Trustflow's `AWSClient`).
    public static let clientServices: Set<String> = ["sts", "dynamodb", "s3", "kms", "sqs", "sns", "secretsmanager", "lambda"]

    /// Whether a step is code the option's program makes: a service principal's delivery (a topic to a queue, a bucket
    /// notifying a function) is the service's own, configured rather than coded; the guide proves it.
    public static func isCode(_ step: Step) -> Bool {
        if case .service = step.caller { return false }
        return true
    }

    /// The IAM user whose long-term keys make an option's calls, when its code steps start from one user's keys.
    public static func user(of option: AccessOption) -> String? {
        let users = Set(option.steps.filter(isCode).compactMap { step -> String? in
            if case .user(let key) = step.caller { return key }
            return nil
        })
        return users.count == 1 ? users.first : nil
    }

    /// Whether an option's calls can be written as a snippet: it has at least one code step, every code step calls a
    /// service the client has, and its credentials start from functions (their own sessions) or from one IAM user's keys
    /// (the default credential chain), not both. Delivery steps are left to the service. The guide says so of the others.
    public static func covers(_ option: AccessOption) -> Bool {
        let code = option.steps.filter(isCode)
        guard !code.isEmpty, code.allSatisfy({ clientServices.contains($0.service) }) else { return false }
        let userCallers = Set(code.compactMap { step -> String? in
            if case .user(let key) = step.caller { return key }
            return nil
        })
        let functionCallers = code.contains { step in
            if case .function = step.caller { return true }
            return false
        }
        return userCallers.isEmpty || (userCallers.count == 1 && !functionCallers)
    }

    /// The options that get snippets, in model order.
    public static func options(_ model: Model) -> [AccessOption] { model.options.filter(covers) }

    /// Target names per option that gets a snippet, in model order; unique even when two ids make the same identifier.
    public static func names(_ model: Model) -> [Names] {
        var used: Set<String> = ["Fixture", "SnippetTests"]
        return options(model).map { option in
            var module = SwiftText.typeName(option.id)
            var counter = 2
            while used.contains(module) || used.contains(module + "Command") || used.contains(module + "Tests") {
                module = SwiftText.typeName(option.id) + String(counter)
                counter += 1
            }
            used.formUnion([module, module + "Command", module + "Tests"])
            return Names(product: option.id, module: module, command: module + "Command")
        }
    }

    /// The snippet of one option, exactly as the package holds it and the guide shows it.
    public static func source(for optionID: String, model: Model, resolution: ModelResolution) -> String? {
        guard let option = model.option(optionID), let resolved = resolution.option(optionID) else { return nil }
        return SnippetWriter(model: model, option: option, resolution: resolved).render()
    }

    /// Every option's snippet by option id: the guide's `GuideInputs.snippets`.
    public static func sources(_ model: Model, resolution: ModelResolution) -> [String: String] {
        sources(inPackage: package(model, resolution: resolution, location: .inRepository(contentDirectory: model.contentDirectory)), model: model)
    }

    /// The package's files, paths relative to the package folder, sorted by path.
    /// No option with snippets, no package: an empty package would build and test nothing.
    public static func package(_ model: Model, resolution: ModelResolution, location: Location) -> [OutputFile] {
        guard !options(model).isEmpty else { return [] }
        var files: [OutputFile] = []
        let names = names(model)
        files.append(OutputFile(path: "Package.swift", text: manifest(names, location: location, resolution: needsResolution(model))))
        for (option, name) in zip(options(model), names) {
            let resolved = resolution.option(option.id) ?? Resolver.resolve(option, in: model)
            let writer = SnippetWriter(model: model, option: option, resolution: resolved)
            files.append(OutputFile(path: "Sources/\(name.module)/\(name.module).swift", text: writer.render()))
            files.append(OutputFile(path: "Sources/\(name.command)/main.swift", text: command(option, name, writer: writer)))
            let tests = SnippetTestWriter(model: model, option: option, resolution: resolved, module: name.module, writer: writer)
            files.append(OutputFile(path: "Tests/SnippetTests/\(name.module)Tests.swift", text: tests.render()))
        }
        // The Python twins: the same calls from the same resolution, with boto3; options.tsv maps option ids to files.
        var index = "option\tfile\n"
        for (option, file) in zip(options(model), PythonSnippetWriter.fileNames(model)) {
            let resolved = resolution.option(option.id) ?? Resolver.resolve(option, in: model)
            files.append(OutputFile(path: "python/\(file)", text: PythonSnippetWriter(model: model, option: option, resolution: resolved).render()))
            index += "\(option.id.replacingOccurrences(of: "\t", with: " "))\t\(file)\n"
        }
        files.append(OutputFile(path: "python/options.tsv", text: index))
        files.append(OutputFile(path: "Tests/SnippetTests/Support/Fixture.swift", text: fixture(model, location: location)))
        files.append(OutputFile(path: "README.md", text: readme(model, names)))
        files.append(OutputFile(path: "sample-data.json", text: sampleData(model)))
        return files.sorted { $0.path < $1.path }
    }

    /// Whether the tests may empty policies of resources, keys, functions or users, which the fixture takes away with
    /// `Model.emptying` (the Resolution library): a key without a policy has AWS's default one.
    static func needsResolution(_ model: Model) -> Bool {
        !model.resources.isEmpty || !model.users.isEmpty || model.functions.contains { $0.policy != nil }
    }

    static func manifest(_ names: [Names], location: Location, resolution: Bool = false) -> String {
        var out = """
            // swift-tools-version: 6.0
            // The guide's runnable snippets, generated by `trustflow build` from model.yml: change the content, not this file.
            //
            //   swift run --package-path output/snippets <option-id>    against AWS, configured by the standard AWS_* variables
            //   swift test --package-path output/snippets               against the simulator enforcing the model's policies
            import PackageDescription

            let package = Package(
                name: "TrustflowSnippets",
                platforms: [.macOS(.v14)],
                products: [

            """
        for name in names {
            out += "        .executable(name: \(SwiftText.literal(name.product)), targets: [\(SwiftText.literal(name.command))]),\n"
        }
        out += """
                ],
                dependencies: [
                    // Trustflow's AWS client (SigV4; STS, DynamoDB, S3, KMS, SQS, SNS, Secrets Manager, Lambda; no AWS SDK needed) and, for the tests, its AWS simulator.
                    \(dependency(location)),
                ],
                targets: [

            """
        for name in names {
            out += "        .target(name: \(SwiftText.literal(name.module)), dependencies: [.product(name: \"AWSClient\", package: \"Trustflow\")]),\n"
            out += "        .executableTarget(\n"
            out += "            name: \(SwiftText.literal(name.command)),\n"
            out += "            dependencies: [\(SwiftText.literal(name.module)), .product(name: \"AWSClient\", package: \"Trustflow\")]),\n"
        }
        out += "        .testTarget(\n"
        out += "            name: \"SnippetTests\",\n"
        out += "            dependencies: [\n"
        for name in names { out += "                \(SwiftText.literal(name.module)),\n" }
        out += """
                            .product(name: "AWSClient", package: "Trustflow"),
                            .product(name: "AWSMock", package: "Trustflow"),
                            .product(name: "Model", package: "Trustflow"),
            \(resolution ? "                .product(name: \"Resolution\", package: \"Trustflow\"),\n" : "")            ]),
                ]
            )

            """
        return out
    }

    /// The manifest's dependency on Trustflow: a released version, or a checkout on disk.
    static func dependency(_ location: Location) -> String {
        if let release = location.release {
            return ".package(url: \(SwiftText.literal(release.url)), from: \(SwiftText.literal(release.version)))"
        }
        return ".package(name: \"Trustflow\", path: \(SwiftText.literal(location.trustflowPath)))"
    }

    static func command(_ option: AccessOption, _ name: Names, writer: SnippetWriter) -> String {
        var argument = "AWSConfiguration.fromEnvironment()"
        var note = ""
        if writer.takesSeveralFunctions {
            let properties = SnippetWriter.propertyNames(writer.functions)
            argument = "\(name.module).Functions(" + writer.functions.map { "\(properties[$0.key] ?? "function"): environment" }.joined(separator: ", ") + ")"
            note = """
                // From one environment every function of the option uses the same credentials; in Lambda each function
                // reads its own.

                """
        }
        return """
        // `swift run --package-path output/snippets \(SwiftText.comment(option.id))`: the snippet against AWS, configured by the standard
        // environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_ENDPOINT_URL…).
        import AWSClient
        import Foundation
        import \(name.module)

        \(note)do {
            \(writer.takesSeveralFunctions ? "let environment = try AWSConfiguration.fromEnvironment()\n    " : "")try await \(name.module).run(\(argument))
        } catch {
            FileHandle.standardError.write(Data("error: \\(error)\\n".utf8))
            exit(1)
        }

        """
    }

    static func fixture(_ model: Model, location: Location) -> String {
        var out = """
            // Generated by `trustflow build`: the content the snippets were generated from, and the simulator the tests use.
            import AWSClient
            import AWSMock
            import Foundation
            import Model
            \(needsResolution(model) ? "import Resolution\n" : "")import Testing

            enum Fixture {

            """
        if location.contentPath.hasPrefix("/") {
            out += """
                    /// The content folder the snippets were generated from.
                    static let contentDirectory = \(SwiftText.literal(location.contentPath))

                """
        } else {
            out += """
                    /// The content folder the snippets were generated from, relative to this package.
                    static let contentDirectory = URL(fileURLWithPath: #filePath)
                        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                        .appendingPathComponent(\(SwiftText.literal(location.contentPath))).standardizedFileURL.path

                """
        }
        out += """

                /// The model, loaded fresh: tests change their copy to break it.
                static func model() throws -> Model {
                    try ModelLoader.load(contentDirectory: contentDirectory)
                }

                /// An AWS simulator enforcing `model` with the policy engine, its tables holding the items the snippets read.
                static func simulator(_ model: Model) throws -> AWSSimulator {
                    let simulator = AWSSimulator(model: model, authorizer: ModelAuthorizer(model: model))

            """
        for table in model.tables {
            let sample = SampleData(table: table)
            out += "        try simulator.put(\(SampleData.swiftItem(sample.seedItem)), inTable: \(SwiftText.literal(table.key)))\n"
        }
        out += """
                    return simulator
                }

                /// Runs `snippet` against the simulator enforcing `model`, and returns the AWS error it must fail with (the
                /// test fails if the snippet succeeds or fails otherwise).
                static func denial(_ model: Model, _ snippet: (AWSSimulator) async throws -> Void) async throws -> AWSError {
                    let simulator = try simulator(model)
                    do {
                        try await snippet(simulator)
                    } catch let error as AWSError {
                        return error
                    }
                    throw UnexpectedSuccess()
                }

                // Each broken variant empties one policy of the loaded model: what "without this policy" means in
                // `trustflow check` too (a trust policy or boundary with no statement allows nothing).

                static func emptyIdentityPolicy(_ name: String, ofRole key: String, in model: inout Model) throws {
                    let role = try #require(model.roles.firstIndex { $0.key == key })
                    let policy = try #require(model.roles[role].policies.firstIndex { $0.name == name })
                    model.roles[role].policies[policy].document.statements = []
                }

                static func emptyTrustPolicy(ofRole key: String, in model: inout Model) throws {
                    let role = try #require(model.roles.firstIndex { $0.key == key })
                    model.roles[role].trust.document.statements = []
                }

                static func emptyBoundary(ofRole key: String, in model: inout Model) throws {
                    let role = try #require(model.roles.firstIndex { $0.key == key })
                    model.roles[role].boundary?.document.statements = []
                }

                static func emptyTablePolicy(of key: String, in model: inout Model) throws {
                    let table = try #require(model.tables.firstIndex { $0.key == key })
                    model.tables[table].policy?.document.statements = []
                }

                static func emptySCP(_ name: String, ofAccount key: String, in model: inout Model) throws {
                    let account = try #require(model.accounts.firstIndex { $0.key == key })
                    let scp = try #require(model.accounts[account].serviceControlPolicies.firstIndex { $0.name == name })
                    model.accounts[account].serviceControlPolicies[scp].document.statements = []
                }

            \(needsResolution(model) ? resourceHelpers : "")    struct UnexpectedSuccess: Error, CustomStringConvertible {
                    var description: String { "the snippet succeeded against a model that should deny it" }
                }
            }

            """
        return out
    }

    /// The fixture's helpers for users', resources' and keys' policies: each takes the policy away as `trustflow check`
    /// does (`Model.emptying`), found among the policies the model's steps apply.
    static let resourceHelpers = """
            static func emptyIdentityPolicy(_ name: String, ofUser key: String, in model: inout Model) throws {
                try empty(in: &model) { $0.kind == .identity && $0.owner == .user(key: key) && $0.name == name }
            }

            static func emptyBoundary(ofUser key: String, in model: inout Model) throws {
                try empty(in: &model) { $0.kind == .boundary && $0.owner == .user(key: key) }
            }

            /// A bucket, queue, topic, secret, event bus or function policy.
            static func emptyResourcePolicy(of key: String, in model: inout Model) throws {
                try empty(in: &model) { policy in
                    guard policy.kind == .resourcePolicy, case .resource(let owner, _) = policy.owner else { return false }
                    return owner == key
                }
            }

            /// A key without a key policy has AWS's default one, which then allows nothing.
            static func emptyKeyPolicy(of key: String, in model: inout Model) throws {
                try empty(in: &model) { $0.kind == .keyPolicy && $0.owner == .resource(key: key, kind: .kmsKey) }
            }

            /// Takes away the first policy the model's steps (and the KMS calls their services make) apply that matches.
            static func empty(in model: inout Model, where matches: (AppliedPolicy) -> Bool) throws {
                let steps = Resolver.resolve(model).options.flatMap(\\.steps).flatMap { [$0] + $0.implied }
                let found = steps.flatMap(\\.policies).first(where: matches)
                let policy = try #require(found)
                model = model.emptying(policy)
            }


        """

    /// Each option's Python twin as the package holds it (`python/<option>.py`), by option id.
    public static func pythonSources(inPackage files: [OutputFile], model: Model) -> [String: String] {
        var sources: [String: String] = [:]
        for (option, file) in zip(options(model), PythonSnippetWriter.fileNames(model)) {
            if let found = files.first(where: { $0.path == "python/\(file)" }) { sources[option.id] = found.text }
        }
        return sources
    }

    /// Each option's snippet as the package holds it (`Sources/<Module>/<Module>.swift`): the guide's
    /// `GuideInputs.snippets`, taken from the package files so the two are the same bytes by construction.
    public static func sources(inPackage files: [OutputFile], model: Model) -> [String: String] {
        var sources: [String: String] = [:]
        for (option, name) in zip(options(model), names(model)) {
            let path = "Sources/\(name.module)/\(name.module).swift"
            if let file = files.first(where: { $0.path == path }) { sources[option.id] = file.text }
        }
        return sources
    }

    /// `sample-data.json`: each table's key schema, the attribute each index is keyed by, and the items the snippets
    /// read — for seeding a real account or an emulator (`scripts/moto-test.sh`) with what the tests seed.
    static func sampleData(_ model: Model) -> String {
        let tables = model.tables.map { table in
            let sample = SampleData(table: table)
            return JSON.object([
                ("key", JSON.string(table.key)),
                ("name", JSON.string(table.name)),
                ("accountID", JSON.string(model.account(table.accountKey)?.id ?? "")),
                ("arn", JSON.string(table.arn)),
                ("partitionKey", JSON.string(table.partitionKey)),
                ("sortKey", JSON.optional(table.sortKey)),
                ("indexes", JSON.array(table.indexes.map { index in
                    JSON.object([("name", JSON.string(index)), ("partitionKey", JSON.string(sample.indexAttribute(index)))])
                })),
                ("items", JSON.array([JSON.object(sample.seedItem.map { ($0.name, JSON.string($0.value)) })])),
            ])
        }
        var members: [(String, LocatedValue?)] = [("tables", JSON.array(tables))]
        if !model.resources.isEmpty { members.append(("resources", JSON.array(model.resources.map { resourceSample($0, model: model) }))) }
        return JSONWriter.write(JSON.object(members), pretty: true) + "\n"
    }

    /// One resource as `sample-data.json` describes it for seeding: its account, ARN and key, and what the snippets
    /// read from it (a bucket's objects the steps name, a secret's value).
    static func resourceSample(_ resource: Resource, model: Model) -> LocatedValue {
        var members: [(String, LocatedValue?)] = [
            ("key", JSON.string(resource.key)), ("kind", JSON.string(resource.resourceKind.modelName ?? resource.kind.rawValue)),
            ("name", JSON.string(resource.name)), ("accountID", JSON.string(model.account(resource.accountKey)?.id ?? "")),
            ("arn", JSON.string(resource.arn)),
            ("keyARN", JSON.optional(resource.encryptionKey.flatMap { model.resource($0)?.arn })),
            ("alias", JSON.optional(resource.alias)),
        ]
        switch resource.kind {
        case .s3Bucket:
            var objects: [String] = []
            for option in model.options {
                for step in option.steps where step.target == .resource(resource.key) {
                    if let object = step.concreteObject, !objects.contains(object) { objects.append(object) }
                }
            }
            members.append(("objects", JSON.array(objects.sorted().map { object in
                JSON.object([("key", JSON.string(object)), ("body", JSON.string(SampleData.objectBody(object)))])
            })))
        case .secret:
            members.append(("secretString", JSON.string(SampleData.secretString)))
        default:
            break
        }
        return JSON.object(members)
    }

    static func readme(_ model: Model, _ names: [Names]) -> String {
        var out = """
            # Runnable snippets

            Generated by `trustflow build` from the content; change the content, not these files. One executable per option:

            | Option | Run it | Code |
            |---|---|---|

            """
        for (option, name) in zip(options(model), names) {
            out += "| \(option.title.replacingOccurrences(of: "|", with: "\\|")) | `swift run --package-path output/snippets \(option.id)` | `Sources/\(name.module)/\(name.module).swift` |\n"
        }
        out += """

            Against AWS, each snippet reads only the standard environment: `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
            `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (the function's execution-role session, as Lambda sets them),
            and optionally `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_DYNAMODB`. The accounts must hold
            the roles, tables and policies of `output/policies/`.

            `swift test --package-path output/snippets` runs every snippet against Trustflow's AWS simulator loaded with the
            content (signatures, session tokens and every call authorized by the policy engine), and again with the trust
            policy, the caller's identity policies or the table policy removed, expecting the AWS error the guide describes.

            """
        if needsResolution(model) {
            out += """

                Options on the model's resources call S3, KMS, SQS, SNS, Secrets Manager or Lambda (`AWS_ENDPOINT_URL_S3`,
                `AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL_SQS`, `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`,
                `AWS_ENDPOINT_URL_LAMBDA`); the accounts must also hold the buckets (with the objects of `sample-data.json`), keys,
                queues, topics, secrets and functions, with their policies. An option whose caller is an IAM user runs with that
                user's long-term keys, from the default credential chain. A delivery (a topic to a queue) is the service's own:
                the snippet makes the calls before it, and the guide proves the delivery. The tests also remove bucket, queue,
                topic, secret, function and key policies, and users' policies.

                """
        }
        return out
    }
}
