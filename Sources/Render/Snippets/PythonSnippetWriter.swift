import Model
import Policy
import Resolution

/// Writes one option's Python twin: the same calls as the Swift snippet, from the same step resolution, with boto3 —
/// one Lambda `handler`, clients and sessions at module scope (made once per execution environment), assumed roles
/// refreshed by botocore before they expire, and the same harmless probes for the steps meant to be refused.
struct PythonSnippetWriter {
    let model: Model
    let option: AccessOption
    let resolution: OptionResolution

    private var constants: [(name: String, comment: String, value: String)] = []
    private var constantNames: [String: String] = [:]
    private var setup: [String] = []
    private var body: [String] = []
    private var names: Set<String> = ["handler", "assumed_role", "AssumedRole", "UnexpectedlyAllowed", "REGION", "error"]
    private var sessions: [CredentialSource: String] = [:]  // credentials → boto3 session variable
    private var roles: [CredentialSource: String] = [:]  // an assumed-role session → its AssumedRole variable
    private var clients: [String: String] = [:]  // "<session>/<service>" → client variable
    private var queueURLs: [String: String] = [:]  // "<queue key> <client>" → the URL variable the handler holds
    private var usesAssumedRole = false
    private var usesUnexpectedlyAllowed = false

    init(model: Model, option: AccessOption, resolution: OptionResolution) {
        self.model = model
        self.option = option
        self.resolution = resolution
    }

    /// `trusted-role` → `trusted_role.py`, unique among the options.
    static func fileNames(_ model: Model) -> [String] {
        var used: Set<String> = []
        return Snippets.options(model).map { option in
            let base = PythonText.snakeCase(option.id)
            var name = base
            var counter = 2
            while used.contains(name) {
                name = "\(base)_\(counter)"
                counter += 1
            }
            used.insert(name)
            return name + ".py"
        }
    }

    func render() -> String {
        var writer = self
        return writer.write()
    }

    private mutating func write() -> String {
        let region = resolution.steps.lazy.filter { SnippetWriter.makesCall($0.step) && $0.step.service == "dynamodb" }
            .compactMap { ARN($0.target.arn)?.region }.first { !$0.isEmpty } ?? model.region
        for (offset, step) in resolution.steps.enumerated() {
            if offset > 0 { body.append("") }
            emit(step)
        }

        var out: [String] = []
        out.append("\"\"\"\(PythonText.comment(option.title).replacingOccurrences(of: "\"\"\"", with: "'''"))")
        out.append("")
        out += SwiftText.wrap(header().replacingOccurrences(of: "\"\"\"", with: "'''"), prefix: "")
        out.append("\"\"\"")
        out.append("import boto3")
        if usesAssumedRole {
            out.append("import botocore.session")
            out.append("from botocore.credentials import DeferredRefreshableCredentials")
        }
        if usesUnexpectedlyAllowed { out.append("from botocore.exceptions import ClientError") }
        out.append("")
        // An option on the new services calls no table: the region is the model's. (An STS-only option keeps the words
        // it always had.)
        let onResources = resolution.steps.contains { SnippetWriter.makesCall($0.step) && !["sts", "dynamodb"].contains($0.step.service) }
        out.append(onResources ? "# The model's region: every client calls there." : "# The region of the tables' ARNs: every client calls there.")
        out.append("REGION = \(PythonText.literal(region))")
        for constant in constants {
            out += SwiftText.wrap(constant.comment, prefix: "# ")
            out.append("\(constant.name) = \(constant.value)")
        }
        if usesUnexpectedlyAllowed {
            out += ["", "", "class UnexpectedlyAllowed(Exception):"]
            out.append("    \"\"\"AWS allowed a call the policies are meant to refuse: someone has more privilege than intended.\"\"\"")
        }
        if usesAssumedRole {
            out += ["", ""] + Self.assumedRoleClass
        }
        out += ["", ""]
        out.append("# Made once per execution environment (module scope) and reused by every invocation.")
        out += setup
        out += ["", ""]
        out.append("def handler(event, context):")
        out.append("    \"\"\"One invocation: the calls of this option, in order. Raises ClientError when AWS refuses a call.\"\"\"")
        out += body
        out.append("    return {\"option\": \(PythonText.literal(option.id)), \"steps\": \(resolution.steps.count)}")
        out += ["", "", "if __name__ == \"__main__\":", "    handler({}, None)"]
        return out.joined(separator: "\n") + "\n"
    }

    private func header() -> String {
        var functions: [Function] = []
        for step in resolution.steps {
            if let key = step.caller.credentials.rootFunction, let function = model.function(key), !functions.contains(function) { functions.append(function) }
        }
        let generated = "Generated by `trustflow build` from model.yml: change the content, not this file. The Swift snippet of "
            + "the same option makes the same calls."
        guard !functions.isEmpty else {
            if let key = Snippets.user(of: option), let user = model.user(key) { return SnippetProse.user(user, in: model) + " " + generated }
            return generated
        }
        let list = functions.map { "\($0.name) (Account \($0.accountKey), \($0.callerKind.roleNoun) \(model.role($0.roleKey)?.name ?? $0.roleKey))" }
        let who = functions.count == 1
            ? "Runs as the \(functions[0].callerKind.noun) \(list[0]), with its own credentials."
            : "Runs as the \(CallerKind.plural(functions.map(\.callerKind))) \(list.joined(separator: ", ")); in \(functions[0].callerKind.runsIn) each reads its own credentials, here all come from one environment."
        return who + " " + generated
    }

    /// The class that gives an assumed role a boto3 session botocore refreshes by itself.
    static let assumedRoleClass = [
        "class AssumedRole:",
        "    \"\"\"A role's session, assumed on first use and refreshed by botocore before it expires.",
        "",
        "    A Lambda's session is role chaining, capped at one hour: keep one per role for the life of the execution",
        "    environment, never one per request.",
        "    \"\"\"",
        "",
        "    def __init__(self, sts, role_arn, session_name, external_id=None):",
        "        self.sts = sts",
        "        self.role_arn = role_arn",
        "        self.session_name = session_name",
        "        self.external_id = external_id",
        "        self.arn = None",
        "        core = botocore.session.get_session()",
        "        # botocore has no public setter for refreshable credentials; this is the documented-by-use way.",
        "        core._credentials = DeferredRefreshableCredentials(refresh_using=self._refresh, method=\"sts-assume-role\")",
        "        self.session = boto3.session.Session(botocore_session=core, region_name=REGION)",
        "",
        "    def _refresh(self):",
        "        parameters = {\"RoleArn\": self.role_arn, \"RoleSessionName\": self.session_name}",
        "        if self.external_id is not None:",
        "            parameters[\"ExternalId\"] = self.external_id",
        "        response = self.sts.assume_role(**parameters)",
        "        self.arn = response[\"AssumedRoleUser\"][\"Arn\"]",
        "        credentials = response[\"Credentials\"]",
        "        return {",
        "            \"access_key\": credentials[\"AccessKeyId\"],",
        "            \"secret_key\": credentials[\"SecretAccessKey\"],",
        "            \"token\": credentials[\"SessionToken\"],",
        "            \"expiry_time\": credentials[\"Expiration\"].isoformat(),",
        "        }",
        "",
        "    def assume(self):",
        "        \"\"\"The session's ARN; assumes the role unless botocore holds valid credentials.\"\"\"",
        "        self.session.get_credentials().get_frozen_credentials()",
        "        return self.arn",
    ]

    // MARK: - Names

    private mutating func fresh(_ base: String) -> String {
        var name = base
        var counter = 2
        while names.contains(name) || PythonText.keywords.contains(name) {
            name = "\(base)_\(counter)"
            counter += 1
        }
        names.insert(name)
        return name
    }

    private mutating func constant(_ key: String, base: String, comment: String, value: String) -> String {
        if let name = constantNames[key] { return name }
        let name = fresh(base)
        constantNames[key] = name
        constants.append((name, comment, value))
        return name
    }

    private func accountText(_ key: String) -> String { SnippetProse.account(key, in: model) }

    // MARK: - Sessions and clients

    /// The boto3 session of a caller's credentials: the function's own, or an assumed role's.
    private mutating func session(for credentials: CredentialSource) -> String {
        if let name = sessions[credentials] { return name }
        switch credentials {
        case .function(let key):
            let function = model.function(key)
            let name = fresh(PythonText.snakeCase(function?.name ?? key) + "_session")
            sessions[credentials] = name
            setup.append("\(name) = boto3.session.Session(region_name=REGION)  # \(PythonText.comment(function?.name ?? key))'s own credentials")
            return name
        case .session:
            let role = assumedRole(credentials, announce: true)
            let name = "\(role).session"
            sessions[credentials] = name
            return name
        case .user(let key):
            let user = model.user(key)
            let name = fresh(PythonText.snakeCase(user?.name ?? key) + "_session")
            sessions[credentials] = name
            setup.append("# The user's long-term keys, from the default credential chain (prefer a role where you can).")
            setup.append("\(name) = boto3.session.Session(region_name=REGION)")
            return name
        case .service:
            // A service's own delivery is no code: `emit` writes it as a comment and makes no client for it.
            return "boto3.session.Session(region_name=REGION)"
        }
    }

    /// The `AssumedRole` of a session; made here (assumed on first use) when no AssumeRole step made it.
    private mutating func assumedRole(_ credentials: CredentialSource, announce: Bool) -> String {
        if let name = roles[credentials] { return name }
        guard case .session(let roleKey, let sessionName, let externalID, _, let by) = credentials else { return "None" }
        usesAssumedRole = true
        let role = model.role(roleKey)
        let arn = roleARNConstant(roleKey)
        let sts = client("sts", for: by)
        let name = fresh(PythonText.snakeCase(role?.name ?? roleKey))
        roles[credentials] = name
        if announce {
            setup.append("# \(PythonText.comment(role?.name ?? roleKey))'s credentials, assumed on first use (session \(PythonText.comment(sessionName))).")
        }
        var arguments = "\(sts), \(arn), \(PythonText.literal(sessionName))"
        if let externalID { arguments += ", external_id=\(PythonText.literal(externalID))" }
        setup.append("\(name) = AssumedRole(\(arguments))")
        return name
    }

    private mutating func client(_ service: String, for credentials: CredentialSource) -> String {
        let session = session(for: credentials)
        let key = "\(session)/\(service)"
        if let name = clients[key] { return name }
        let base: String
        switch credentials {
        case .function(let functionKey):
            let several = Set(resolution.steps.compactMap(\.caller.credentials.rootFunction)).count > 1
            base = several ? PythonText.snakeCase(model.function(functionKey)?.name ?? functionKey) + "_" + service : service
        case .session(let roleKey, _, _, _, _):
            base = PythonText.snakeCase(model.role(roleKey)?.name ?? roleKey) + "_" + service
        case .user:
            base = service  // one user's keys make every call of the option (`Snippets.covers`)
        case .service(let resourceKey):
            base = PythonText.snakeCase(resourceKey) + "_" + service
        }
        let name = fresh(base == "lambda" ? "lambda_client" : base)
        clients[key] = name
        setup.append("\(name) = \(session).client(\(PythonText.literal(service)))")
        return name
    }

    private mutating func roleARNConstant(_ roleKey: String) -> String {
        guard let role = model.role(roleKey) else { return PythonText.literal(roleKey) }
        return constant(
            "role:\(roleKey)", base: PythonText.constantName(role.name) + "_ARN", comment: SnippetProse.role(role, in: model),
            value: PythonText.literal(role.arn))
    }

    private mutating func tableConstant(_ table: Table, step: StepResolution) -> String {
        let base = PythonText.constantName(table.name)
        if step.target.tableReference == table.name {
            return constant(
                "table-name:\(table.key)", base: base + "_TABLE",
                comment: SnippetProse.table(table, byName: true, in: model),
                value: PythonText.literal(table.name))
        }
        return constant(
            "table-arn:\(table.key)", base: base + "_TABLE_ARN",
            comment: SnippetProse.table(table, byName: false, in: model),
            value: PythonText.literal(table.arn))
    }

    private mutating func keyConstant(_ table: Table) -> String {
        return constant(
            "key:\(table.key)", base: PythonText.constantName(table.name) + "_KEY", comment: SnippetProse.key(table),
            value: PythonText.item(SampleData(table: table).key))
    }

    // MARK: - Steps

    private func comment(_ text: String, indent: String = "    ") -> [String] { SwiftText.wrap(text, prefix: indent + "# ") }

    private func callerText(_ caller: ResolvedCaller) -> String {
        switch caller.kind {
        case .function: "with the credentials of the function \(caller.displayName) (execution role \(caller.role?.name ?? caller.displayName))"
        case .roleSession: "as \(caller.role?.name ?? caller.displayName)'s session"
        case .service: "as \(caller.displayName)"
        case .user: "with the access keys of user \(caller.displayName)"
        }
    }

    private func allowedBy(_ step: StepResolution) -> String? { SnippetProse.allowedBy(step) }

    private func denialText(_ step: StepResolution) -> String { SnippetProse.denial(step, in: model) }

    private mutating func emit(_ step: StepResolution) {
        guard Snippets.isCode(step.step) else {
            body += comment(SnippetProse.delivery(step))
            return
        }
        body += comment("Step \(step.number): \(step.step.action) on \(step.target.displayName), \(callerText(step.caller)).")
        if let allowed = allowedBy(step) { body += comment(allowed) }
        for sentence in SnippetProse.implied(step) { body += comment(sentence) }
        let expectDenied = step.expected != .allowed
        if expectDenied { body += comment(denialText(step)) }
        guard SnippetWriter.makesCall(step.step) else {
            body.append("    # The snippets have no call for \(PythonText.comment(step.step.action)) yet; boto3 has: make it here.")
            return
        }
        if step.step.isAssumeRole, case .role(let roleKey) = step.step.target {
            let session: CredentialSource = .session(
                role: roleKey, session: step.step.session ?? Step.defaultSession, externalID: step.step.externalId, step: step.number,
                by: step.caller.credentials)
            let role = assumedRole(session, announce: false)
            if expectDenied {
                usesUnexpectedlyAllowed = true
                body += [
                    "    try:",
                    "        \(role).assume()",
                    "        raise UnexpectedlyAllowed(\"sts:AssumeRole\")",
                    "    except ClientError as error:",
                    "        if error.response[\"Error\"][\"Code\"] != \"AccessDenied\":",
                    "            raise",
                    "        print(\"AssumeRole refused, as intended:\", error.response[\"Error\"][\"Message\"])",
                ]
            } else {
                body.append("    print(\"AssumeRole: acting as\", \(role).assume())")
            }
            return
        }
        if case .resource(let key) = step.step.target, let resource = model.resource(key) {
            emitResourceCall(step, resource: resource, expectDenied: expectDenied)
            return
        }
        guard case .table(let tableKey) = step.step.target, let table = model.table(tableKey) else { return }
        emitDynamoDB(step, table: table, expectDenied: expectDenied)
    }

    /// The constant a resource is named by in calls (the same choice and words as the Swift snippet).
    private mutating func resourceConstant(_ resource: Resource, callerAccount: String) -> String {
        let stem = PythonText.constantName(SnippetWriter.stem(resource))
        let comment = SnippetProse.resource(resource, callerAccount: callerAccount, in: model)
        func named(_ word: String, _ rest: String) -> String { (stem.hasSuffix("_" + word) || stem == word ? stem : stem + "_" + word) + rest }
        switch resource.kind {
        case .s3Bucket: return constant("bucket:\(resource.key)", base: named("BUCKET", ""), comment: comment, value: PythonText.literal(resource.name))
        case .kmsKey: return constant("key-arn:\(resource.key)", base: named("KEY", "_ARN"), comment: comment, value: PythonText.literal(resource.arn))
        case .snsTopic: return constant("topic:\(resource.key)", base: named("TOPIC", "_ARN"), comment: comment, value: PythonText.literal(resource.arn))
        case .secret: return constant("secret:\(resource.key)", base: named("SECRET", "_ARN"), comment: comment, value: PythonText.literal(resource.arn))
        case .lambdaFunction:
            return constant("function:\(resource.key)", base: named("FUNCTION", "_ARN"), comment: comment, value: PythonText.literal(resource.arn))
        case .sqsQueue:
            return constant("queue:\(resource.key)", base: named("QUEUE", "_NAME"), comment: SnippetProse.queueName(resource, in: model), value: PythonText.literal(resource.name))
        default: return constant("arn:\(resource.key)", base: stem + "_ARN", comment: comment, value: PythonText.literal(resource.arn))
        }
    }

    /// A call on a resource of `resources:` or a function invoked, with boto3: the same call as the Swift snippet.
    private mutating func emitResourceCall(_ step: StepResolution, resource: Resource, expectDenied: Bool) {
        let service = step.step.service
        let lowered = step.step.actionName.lowercased()
        let client = client(service, for: step.caller.credentials)
        let callerAccount = step.caller.accountKey
        let payload = PythonText.literal("{\"from\": \"\(option.id)\"}")
        var lines: [String] = []  // the calls; the last is the step's own
        var report: [String] = []
        switch (service, lowered) {
        case ("s3", "getobject"), ("s3", "putobject"):
            let bucket = resourceConstant(resource, callerAccount: callerAccount)
            let object = constant(
                "object:\(resource.key):\(step.step.concreteObject ?? "")",
                base: PythonText.constantName(SnippetWriter.objectStem(step.step.concreteObject ?? "object")) + "_KEY",
                comment: SnippetProse.object(step.step, bucket: resource), value: PythonText.literal(step.step.concreteObject ?? "example"))
            if lowered == "getobject" {
                lines = ["response = \(client).get_object(Bucket=\(bucket), Key=\(object))"]
                report = ["print(\"GetObject:\", len(response[\"Body\"].read()), \"bytes\")"]
            } else {
                var encryption = ""
                if let keyKey = resource.encryptionKey, let key = model.resource(keyKey) {
                    body += comment(
                        "The bucket's objects are encrypted with the KMS key \(key.alias ?? key.name) (SSE-KMS): the request names it, "
                            + "as a bucket policy that requires SSE-KMS with this key checks (x-amz-server-side-encryption: aws:kms and the key's ARN).")
                    encryption = ", ServerSideEncryption=\"aws:kms\", SSEKMSKeyId=\(resourceConstant(key, callerAccount: callerAccount))"
                }
                if expectDenied { body += comment("If the policies are broader than intended, this writes the small object named above: delete it.") }
                lines = ["response = \(client).put_object(Bucket=\(bucket), Key=\(object), Body=\(PythonText.literal("written by \(option.id)\n")).encode()\(encryption))"]
                report = ["print(\"PutObject: stored\", \(object), response.get(\"SSEKMSKeyId\", \"\"))"]
            }
        case ("s3", "listbucket"):
            lines = ["response = \(client).list_objects_v2(Bucket=\(resourceConstant(resource, callerAccount: callerAccount)), MaxKeys=25)"]
            report = ["print(\"ListObjectsV2:\", response[\"KeyCount\"], \"keys\")"]
        case ("kms", "encrypt"):
            lines = ["response = \(client).encrypt(KeyId=\(resourceConstant(resource, callerAccount: callerAccount)), Plaintext=\(PythonText.literal("written by \(option.id)")).encode())"]
            report = ["print(\"Encrypt:\", len(response[\"CiphertextBlob\"]), \"bytes of ciphertext under\", response[\"KeyId\"])"]
        case ("kms", "generatedatakey"):
            lines = ["response = \(client).generate_data_key(KeyId=\(resourceConstant(resource, callerAccount: callerAccount)), KeySpec=\"AES_256\")"]
            report = ["print(\"GenerateDataKey: a data key under\", response[\"KeyId\"])"]
        case ("kms", "describekey"):
            lines = ["response = \(client).describe_key(KeyId=\(resourceConstant(resource, callerAccount: callerAccount)))"]
            report = ["print(\"DescribeKey:\", response[\"KeyMetadata\"][\"KeyId\"], response[\"KeyMetadata\"][\"KeyState\"])"]
        case ("sqs", _):
            let name = resourceConstant(resource, callerAccount: callerAccount)
            var owner = ""
            if resource.accountKey != callerAccount, let account = model.account(resource.accountKey) {
                owner = ", QueueOwnerAWSAccountId=" + constant(
                    "queue-owner:\(resource.key)", base: PythonText.constantName(resource.name) + "_QUEUE_OWNER",
                    comment: SnippetProse.queueOwner(resource, in: model), value: PythonText.literal(account.id))
            }
            // One GetQueueUrl per queue and invocation, as in the Swift snippet: a later step reuses an allowed lookup.
            let cacheKey = "\(resource.key) \(client)"
            let url: String
            if let known = queueURLs[cacheKey], lowered != "getqueueurl" {
                url = known
            } else {
                if lowered != "getqueueurl" { body += comment(SnippetProse.queueLookup(resource)) }
                url = fresh("queue_url")
                lines = ["\(url) = \(client).get_queue_url(QueueName=\(name)\(owner))[\"QueueUrl\"]"]
                if !expectDenied, queueURLs[cacheKey] == nil { queueURLs[cacheKey] = url }
            }
            switch lowered {
            case "sendmessage":
                lines.append("response = \(client).send_message(QueueUrl=\(url), MessageBody=\(payload))")
                report = ["print(\"SendMessage:\", response[\"MessageId\"])"]
            case "receivemessage":
                lines.append("response = \(client).receive_message(QueueUrl=\(url), MaxNumberOfMessages=10)")
                report = ["print(\"ReceiveMessage:\", len(response.get(\"Messages\", [])), \"messages\")"]
            default:
                report = ["print(\"GetQueueUrl:\", \(url))"]
            }
        case ("sns", "publish"):
            lines = ["response = \(client).publish(TopicArn=\(resourceConstant(resource, callerAccount: callerAccount)), Message=\(payload))"]
            report = ["print(\"Publish:\", response[\"MessageId\"])"]
        case ("secretsmanager", "getsecretvalue"):
            lines = ["response = \(client).get_secret_value(SecretId=\(resourceConstant(resource, callerAccount: callerAccount)))"]
            report = ["# Never log the value itself.", "print(\"GetSecretValue: read\", response[\"Name\"], \"version\", response[\"VersionId\"])"]
        case ("secretsmanager", "describesecret"):
            lines = ["response = \(client).describe_secret(SecretId=\(resourceConstant(resource, callerAccount: callerAccount)))"]
            report = ["print(\"DescribeSecret:\", response[\"Name\"], response.get(\"KmsKeyId\", \"aws/secretsmanager\"))"]
        case ("lambda", "invokefunction"):
            lines = ["response = \(client).invoke(FunctionName=\(resourceConstant(resource, callerAccount: callerAccount)), Payload=\(payload).encode())"]
            report = ["print(\"Invoke:\", response[\"StatusCode\"], response.get(\"FunctionError\", \"returned\"))"]
        default:
            return
        }
        if !expectDenied {
            body += lines.flatMap { Self.fitted($0, indent: "    ") }
            body += report.map { "    " + $0 }
            return
        }
        usesUnexpectedlyAllowed = true
        let last = lines.removeLast()
        body.append("    try:")
        body += lines.flatMap { Self.fitted($0, indent: "        ") }
        // A refused probe keeps no result: `x = call(…)` becomes `call(…)` (a lookup's `[…]` kept, harmless).
        let call = last.range(of: " = ").map { String(last[$0.upperBound...]) } ?? last
        body += Self.fitted(call, indent: "        ")
        body.append("        raise UnexpectedlyAllowed(\(PythonText.literal(step.step.action)))")
        body.append("    except ClientError as error:")
        body.append("        if error.response[\"Error\"][\"Code\"] != \(PythonText.literal(ServiceRules.denialCode(service: service))):")
        body.append("            raise")
        body.append("        print(\(PythonText.literal(step.step.actionName + " refused, as intended:")), error.response[\"Error\"][\"Message\"])")
    }

    /// A call fitted to 120 columns.
    static func fitted(_ call: String, indent: String) -> [String] { SwiftText.call(call, indent: indent) }

    private mutating func emitDynamoDB(_ step: StepResolution, table: Table, expectDenied: Bool) {
        let client = client("dynamodb", for: step.caller.credentials)
        let lowered = step.step.actionName.lowercased()
        let sample = SampleData(table: table)
        let impossible = "ConditionExpression=\"attribute_exists(#key) AND attribute_not_exists(#key)\", ExpressionAttributeNames={\"#key\": \(PythonText.literal(table.partitionKey))}"
        var call: String
        var report: String?
        switch lowered {
        case "getitem":
            call = "response = \(client).get_item(TableName=\(tableConstant(table, step: step)), Key=\(keyConstant(table)))"
            report = "print(\"GetItem:\", \"found, %d attributes\" % len(response[\"Item\"]) if \"Item\" in response else \"no item with that key\")"
        case "query", "scan":
            let tableRef = tableConstant(table, step: step)
            let index = step.step.index.map { ", IndexName=\(PythonText.literal($0))" } ?? ""
            if lowered == "scan" {
                call = "response = \(client).scan(TableName=\(tableRef)\(index), Limit=25)"
            } else {
                let attribute = step.step.index.map { sample.indexAttribute($0) } ?? table.partitionKey
                let value = step.step.index.map { sample.indexValue($0) } ?? sample.key[0].value
                call = "response = \(client).query(\n        TableName=\(tableRef)\(index), KeyConditionExpression=\"#key = :value\",\n"
                    + "        ExpressionAttributeNames={\"#key\": \(PythonText.literal(attribute))}, ExpressionAttributeValues={\":value\": {\"S\": \(PythonText.literal(value))}})"
            }
            report = "print(\(PythonText.literal(step.step.actionName + (step.step.index.map { " " + $0 } ?? "") + ":")), response[\"Count\"], \"items\")"
        case "putitem":
            var item = sample.newKey
            for index in table.indexes {
                let attribute = sample.indexAttribute(index)
                if !item.contains(where: { $0.name == attribute }) {
                    item.append((name: attribute, value: attribute.lowercased() == "status" ? "PENDING" : "\(attribute)-2"))
                }
            }
            call = "\(client).put_item(TableName=\(tableConstant(table, step: step)), Item=\(PythonText.item(item))\(expectDenied ? ", " + impossible : ""))"
            report = "print(\"PutItem: wrote\", \(PythonText.literal(item.map(\.value).prefix(2).joined(separator: "/"))))"
        case "deleteitem":
            call = "\(client).delete_item(TableName=\(tableConstant(table, step: step)), Key=\(keyConstant(table))\(expectDenied ? ", " + impossible : ""))"
            report = "print(\"DeleteItem: done\")"
        case "updateitem":
            let names = expectDenied ? "{\"#note\": \"note\", \"#key\": \(PythonText.literal(table.partitionKey))}" : "{\"#note\": \"note\"}"
            let condition = expectDenied ? ", ConditionExpression=\"attribute_exists(#key) AND attribute_not_exists(#key)\"" : ""
            call = "\(client).update_item(\n        TableName=\(tableConstant(table, step: step)), Key=\(keyConstant(table)), UpdateExpression=\"SET #note = :note\"\(condition),\n"
                + "        ExpressionAttributeNames=\(names), ExpressionAttributeValues={\":note\": {\"S\": \"updated\"}})"
            report = "print(\"UpdateItem: done\")"
        case "describetable":
            call = "response = \(client).describe_table(TableName=\(tableConstant(table, step: step)))"
            report = "print(\"DescribeTable:\", response[\"Table\"][\"TableName\"], [key[\"AttributeName\"] for key in response[\"Table\"][\"KeySchema\"]])"
        case "listtables":
            body += comment("ListTables has no resource-level permission and lists the tables of the caller's own account (Account \(step.caller.accountKey)).")
            call = "response = \(client).list_tables()"
            report = "print(\"ListTables:\", response[\"TableNames\"])"
        default:
            return
        }
        if !expectDenied {
            body += call.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            if let report { body.append("    " + report) }
            return
        }
        usesUnexpectedlyAllowed = true
        let action = "dynamodb:" + step.step.actionName
        body.append("    try:")
        body += call.replacingOccurrences(of: "response = ", with: "").split(separator: "\n", omittingEmptySubsequences: false).map { "        " + $0 }
        body.append("        raise UnexpectedlyAllowed(\(PythonText.literal(action)))")
        body.append("    except ClientError as error:")
        body.append("        code = error.response[\"Error\"][\"Code\"]")
        if ["putitem", "deleteitem", "updateitem"].contains(lowered) {
            body.append("        if code == \"ConditionalCheckFailedException\":")
            body.append("            # IAM let the write through; only the condition that can never hold kept the data as it was.")
            body.append("            raise UnexpectedlyAllowed(\(PythonText.literal(action))) from error")
        }
        body.append("        if not code.startswith(\"AccessDenied\"):")
        body.append("            raise")
        body.append("        print(\(PythonText.literal(step.step.actionName + " refused, as intended:")), error.response[\"Error\"][\"Message\"])")
    }
}
