import Policy
import Testing

@Suite struct AnalyzerTests {
    let knowledge = Knowledge(
        accountIDs: ["111111111111", "222222222222"], roleARNs: ["arn:aws:iam::111111111111:role/Exec", "arn:aws:iam::222222222222:role/Data"],
        tableARNs: ["arn:aws:dynamodb:us-east-1:222222222222:table/Orders"], indexes: ["arn:aws:dynamodb:us-east-1:222222222222:table/Orders": ["ByStatus"]])

    /// The codes of the parser's coded diagnostics (an unknown action stops the parse) and of the analyzer's findings.
    func codes(_ json: String, kind: PolicyKind = .identity) -> [String] {
        let (document, diagnostics) = PolicyParser.parse(json: json, file: "p.json", kind: kind)
        guard let document else { return diagnostics.compactMap(\.code) }
        return Analyzer.analyze(NamedDocument(name: "P", document: document), knowledge: knowledge).compactMap(\.code)
    }

    @Test func clean() {
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["dynamodb:GetItem"], "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}}"#) == [])
    }

    @Test func errors() {
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:GetItems", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}}"#) == ["TF-ERR-001"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Order"}}"#) == ["TF-ERR-003"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders/index/ByState"}}"#) == ["TF-ERR-003"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/Exec"}, "Action": "sts:TagSession"}}"#, kind: .trust) == ["TF-ERR-002"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/Exc"}, "Action": "sts:AssumeRole"}}"#, kind: .trust) == ["TF-ERR-004"])
    }

    @Test func securityWarnings() {
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#) == ["TF-SEC-001"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}}"#) == ["TF-SEC-002"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "*"}}"#) == ["TF-SEC-003"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:ListTables", "Resource": "*"}}"#) == [])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}}"#, kind: .resource) == ["TF-SEC-004"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}}"#, kind: .resource) == [])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "111111111111"}, "Action": "sts:AssumeRole"}}"#, kind: .trust) == ["TF-SEC-005"])
        // Cross-account trust without ExternalId between own accounts is fine: no warning.
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/Exec"}, "Action": "sts:AssumeRole"}}"#, kind: .trust) == [])
    }

    /// AWS's default SCP, FullAWSAccess, as AWS publishes it.
    static let fullAWSAccess = #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#

    /// A key policy's statement naming only its account delegates to that account's identity policies (AWS's default
    /// key policy): its "kms:*" grants nobody anything. In any resource-based policy, "*" is the resource itself.
    @Test func resourcePoliciesDelegatingToAnAccountOrNamingThemselvesAreNoOverGrant() {
        let delegation = #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::222222222222:root"}, "Action": "kms:*", "Resource": "*"}}"#
        #expect(codes(delegation, kind: .resource) == [])
        let toARole = #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/Exec"}, "Action": "kms:*", "Resource": "*"}}"#
        #expect(codes(toARole, kind: .resource) == ["TF-SEC-002"])
        let decrypt = #"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:role/Exec"}, "Action": "kms:Decrypt", "Resource": "*"}}"#
        #expect(codes(decrypt, kind: .resource) == [])
        // The same statement in an identity policy grants every key of every account.
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}}"#) == ["TF-SEC-003"])
    }

    @Test func serviceControlPoliciesOnlyLimitSoBroadAllowsAreNoFinding() {
        #expect(codes(Self.fullAWSAccess, kind: .serviceControl) == [])
        // An allow-list SCP is a limit too.
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["dynamodb:*", "sts:AssumeRole"], "Resource": "*"}}"#, kind: .serviceControl) == [])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "*"}}"#, kind: .serviceControl) == [])
        // What can never work still is a finding in an SCP.
        #expect(codes(#"{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:GetItems", "Resource": "*"}}"#, kind: .serviceControl) == ["TF-ERR-001"])
        // The same statement attached to an identity grants everything.
        #expect(codes(Self.fullAWSAccess, kind: .identity) == ["TF-SEC-001"])
    }

    @Test func suggestions() {
        #expect(codes(#"{"Statement": {"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}}"#) == ["TF-SUG-001"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:Get*", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/*"}, {"Sid": "Extra", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}]}"#) == ["TF-SUG-002"])
        #expect(codes(#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "dynamodb:*", "Resource": "*"}, {"Sid": "Never", "Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "arn:aws:dynamodb:us-east-1:222222222222:table/Orders"}]}"#) == ["TF-SUG-003"])
    }
}
