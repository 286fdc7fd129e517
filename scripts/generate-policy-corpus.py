#!/usr/bin/env python3
"""Writes Tests/PolicyTests/Corpus/*.json: evaluation cases, each a simulate request, the decisions AWS's
documented logic gives, and the IAM User Guide page it follows. Edit the cases here, then re-run."""
import json, os

A, B = "111111111111", "222222222222"
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/App"
SESSION = f"arn:aws:sts::{A}:assumed-role/App/s1"
B_ROLE = f"arn:aws:iam::{B}:role/Data"
B_SESSION = f"arn:aws:sts::{B}:assumed-role/Data/s1"
TABLE_A = f"arn:aws:dynamodb:us-east-1:{A}:table/Orders"
TABLE_B = f"arn:aws:dynamodb:us-east-1:{B}:table/Orders"
ROLE_B_TARGET = f"arn:aws:iam::{B}:role/Target"
ROLE_A_TARGET = f"arn:aws:iam::{A}:role/Target"

def st(effect="Allow", action="dynamodb:GetItem", resource="*", principal=None, cond=None, sid=None, notaction=None, notresource=None, notprincipal=None, noresource=False):
    s = {}
    if sid: s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None: s["Principal"] = principal
    if notprincipal is not None: s["NotPrincipal"] = notprincipal
    if notaction is not None: s["NotAction"] = notaction
    else: s["Action"] = action
    if not noresource:
        if notresource is not None: s["NotResource"] = notresource
        elif resource is not None: s["Resource"] = resource
    if cond: s["Condition"] = cond
    return s

def pol(*stmts, as_string=False):
    p = {"Version": "2012-10-17", "Statement": list(stmts)}
    return json.dumps(p) if as_string else p

files = {}
def case(file, name, doc, expect, caller=USER, actions=("dynamodb:GetItem",), resources=(TABLE_A,), identity=(), resource_policy=None,
         boundary=None, session=(), scp=(), context=(), owner=None, message=None, missing=None, errors=None, warnings=None):
    req = {"CallerArn": caller, "ActionNames": list(actions), "ResourceArns": list(resources)}
    if identity: req["PolicyInputList"] = list(identity)
    if resource_policy is not None: req["ResourcePolicy"] = resource_policy
    if boundary is not None: req["PermissionsBoundaryPolicyInputList"] = [boundary]
    if session: req["SessionPolicyInputList"] = list(session)
    if scp: req["ServiceControlPolicyInputList"] = list(scp)
    if owner: req["ResourceOwner"] = f"arn:aws:iam::{owner}:root"
    if context:
        req["ContextEntries"] = [{"ContextKeyName": k, "ContextKeyValues": v if isinstance(v, list) else [v], "ContextKeyType": t} for (k, v, t) in context]
    c = {"name": name, "doc": doc, "url": url_of(doc), "input": req}
    if errors is not None:
        c["errors"] = errors
    else:
        c["expect"] = expect if isinstance(expect, list) else [expect]
    if warnings is not None: c["warnings"] = warnings
    if message: c["message"] = message
    if missing is not None: c["missingContextValues"] = missing
    files.setdefault(file, []).append(c)

# Every case cites the AWS page whose rule it follows: the guide and page title in "doc", the page in "url".
IUG = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
URLS = {
    "IAM User Guide: Policy evaluation logic": IUG + "reference_policies_evaluation-logic.html",
    "IAM User Guide: Policy evaluation for requests within a single account": IUG + "reference_policies_evaluation-logic_policy-eval-basics.html",
    "IAM User Guide: Cross-account policy evaluation logic": IUG + "reference_policies_evaluation-logic-cross-account.html",
    "IAM User Guide: IAM JSON policy elements: Principal": IUG + "reference_policies_elements_principal.html",
    "IAM User Guide: IAM JSON policy elements: NotPrincipal": IUG + "reference_policies_elements_notprincipal.html",
    "IAM User Guide: IAM JSON policy elements: Action / NotAction": IUG + "reference_policies_elements_action.html",
    "IAM User Guide: IAM JSON policy elements: Resource / NotResource": IUG + "reference_policies_elements_resource.html",
    "IAM User Guide: IAM policy elements: Variables and tags": IUG + "reference_policies_variables.html",
    "IAM User Guide: IAM JSON policy elements: Condition operators": IUG + "reference_policies_elements_condition_operators.html",
    "IAM User Guide: Multivalued context keys": IUG + "reference_policies_condition-single-vs-multi-valued-context-keys.html",
    "IAM User Guide: AWS global condition context keys": IUG + "reference_policies_condition-keys.html",
    "IAM User Guide: Troubleshooting access denied error messages": IUG + "troubleshoot_access-denied.html",
    "IAM User Guide: IAM JSON policy elements: Version": IUG + "reference_policies_elements_version.html",
    "IAM User Guide: Permissions boundaries for IAM entities": IUG + "access_policies_boundaries.html",
    "IAM User Guide: Permissions for GetFederationToken": IUG + "id_credentials_temp_control-access_getfederationtoken.html",
    "IAM User Guide: Policies and permissions in IAM (session policies)": IUG + "access_policies.html#policies_session",
    "IAM User Guide: IAM Access Analyzer policy check reference": IUG + "access-analyzer-reference-policy-checks.html",
    "IAM User Guide: IAM and AWS STS quotas": IUG + "reference_iam-quotas.html",
    "IAM User Guide: IAM identifiers": IUG + "reference_identifiers.html",
    "AWS KMS Developer Guide: Key policies in AWS KMS": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
    "AWS KMS Developer Guide: Allowing users in other accounts to use a KMS key": "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
    "Amazon S3 User Guide: How Amazon S3 authorizes a request": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/how-s3-evaluates-access-control.html",
    "Amazon S3 User Guide: Examples of Amazon S3 bucket policies": "https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html",
    "AWS STS API Reference: AssumeRole": "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
    "AWS Organizations User Guide: Quotas for AWS Organizations": "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html",
    "DynamoDB Developer Guide: DynamoDB resource-based policy considerations": "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/rbac-considerations.html",
    "Service Authorization Reference: Actions, resources, and condition keys for AWS services": "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
}

def url_of(doc):
    return URLS[doc]

EVAL = "IAM User Guide: Policy evaluation logic"
SINGLE = "IAM User Guide: Policy evaluation for requests within a single account"
CROSS = "IAM User Guide: Cross-account policy evaluation logic"
PRIN = "IAM User Guide: IAM JSON policy elements: Principal"
NOTP = "IAM User Guide: IAM JSON policy elements: NotPrincipal"
ACT = "IAM User Guide: IAM JSON policy elements: Action / NotAction"
RES = "IAM User Guide: IAM JSON policy elements: Resource / NotResource"
VARS = "IAM User Guide: IAM policy elements: Variables and tags"
COND = "IAM User Guide: IAM JSON policy elements: Condition operators"
MULTI = "IAM User Guide: Multivalued context keys"
GLOBAL = "IAM User Guide: AWS global condition context keys"
TROUBLE = "IAM User Guide: Troubleshooting access denied error messages"
ALLOW = pol(st())

# --- evaluation basics, explicit deny ---
f = "evaluation"
case(f, "default deny without policies", EVAL, "implicitDeny", message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no identity-based policy allows the dynamodb:GetItem action")
case(f, "identity allow", EVAL, "allowed", identity=[ALLOW])
case(f, "identity allow as JSON string", EVAL, "allowed", identity=[pol(st(), as_string=True)])
case(f, "explicit deny beats allow in same policy", EVAL, "explicitDeny", identity=[pol(st(), st("Deny"))], message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in an identity-based policy")
case(f, "explicit deny in another policy beats allow", EVAL, "explicitDeny", identity=[ALLOW, pol(st("Deny", "dynamodb:*"))])
case(f, "deny of other action leaves allow", EVAL, "allowed", identity=[ALLOW, pol(st("Deny", "dynamodb:PutItem"))])
case(f, "deny in resource policy wins", EVAL, "explicitDeny", identity=[ALLOW], resource_policy=pol(st("Deny", principal={"AWS": A})), message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in a resource-based policy")
case(f, "deny in resource policy for another principal does not apply", EVAL, "allowed", identity=[ALLOW], resource_policy=pol(st("Deny", principal={"AWS": B})))
case(f, "deny in boundary wins", EVAL, "explicitDeny", identity=[ALLOW], boundary=pol(st("Allow", "*"), st("Deny")), message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in a permissions boundary")
case(f, "deny in session policy wins", EVAL, "explicitDeny", caller=SESSION, identity=[ALLOW], session=[pol(st("Deny"))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in a session policy")
case(f, "deny in SCP wins", EVAL, "explicitDeny", identity=[ALLOW], scp=[pol(st("Allow", "*")), pol(st("Deny", "dynamodb:GetItem"))], message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in a service control policy")
case(f, "conditional deny not met leaves allow", EVAL, "allowed", identity=[ALLOW, pol(st("Deny", cond={"Bool": {"aws:SecureTransport": "false"}}))])
case(f, "conditional deny met", EVAL, "explicitDeny", identity=[ALLOW, pol(st("Deny", cond={"Bool": {"aws:SecureTransport": "false"}}))], context=[("aws:SecureTransport", "false", "boolean")])
case(f, "several actions x resources", EVAL, ["allowed", "implicitDeny", "implicitDeny", "implicitDeny"], actions=["dynamodb:GetItem", "dynamodb:PutItem"], resources=[TABLE_A, TABLE_A + "2"], identity=[pol(st(resource=TABLE_A))])
case(f, "deny with NotAction spares the listed action", EVAL, "allowed", identity=[ALLOW, pol(st("Deny", notaction="dynamodb:GetItem"))])
case(f, "deny with NotAction hits other actions", EVAL, "explicitDeny", actions=["dynamodb:PutItem"], identity=[pol(st(action="dynamodb:*")), pol(st("Deny", notaction="dynamodb:GetItem"))])
case(f, "SCP allow-list without the action", EVAL, "implicitDeny", identity=[ALLOW], scp=[pol(st("Allow", "s3:*"))], message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no service control policy allows the dynamodb:GetItem action")
case(f, "SCP allows but identity does not", EVAL, "implicitDeny", scp=[pol(st("Allow", "*"))], message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no identity-based policy allows the dynamodb:GetItem action")
case(f, "SCP does not grant by itself", EVAL, "implicitDeny", scp=[pol(st("Allow", "*"))])
case(f, "boundary does not grant by itself", EVAL, "implicitDeny", boundary=pol(st("Allow", "*")))
case(f, "boundary without the action limits identity", EVAL, "implicitDeny", identity=[ALLOW], boundary=pol(st("Allow", "s3:*")), message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no permissions boundary allows the dynamodb:GetItem action")
case(f, "boundary and identity both allow", EVAL, "allowed", identity=[ALLOW], boundary=pol(st("Allow", "dynamodb:Get*")))
case(f, "session policy limits role session", EVAL, "implicitDeny", caller=SESSION, identity=[ALLOW], session=[pol(st("Allow", "s3:GetObject"))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no session policy allows the dynamodb:GetItem action")
case(f, "session policy and identity both allow", EVAL, "allowed", caller=SESSION, identity=[ALLOW], session=[pol(st())])
case(f, "session policy alone grants nothing", EVAL, "implicitDeny", caller=SESSION, session=[pol(st())])

# --- same account ---
f = "same-account"
case(f, "resource policy naming user grants alone", SINGLE, "allowed", resource_policy=pol(st(principal={"AWS": USER}, resource=TABLE_A)))
case(f, "resource policy naming account delegates: identity missing", SINGLE, "implicitDeny", resource_policy=pol(st(principal={"AWS": A}, resource=TABLE_A)), message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no identity-based policy allows the dynamodb:GetItem action")
case(f, "resource policy naming account root ARN delegates", SINGLE, "implicitDeny", resource_policy=pol(st(principal={"AWS": f"arn:aws:iam::{A}:root"}, resource=TABLE_A)))
case(f, "resource policy naming account + identity allow", SINGLE, "allowed", identity=[ALLOW], resource_policy=pol(st(principal={"AWS": A}, resource=TABLE_A)))
case(f, "identity alone suffices without resource policy", SINGLE, "allowed", identity=[ALLOW])
case(f, "identity alone suffices with unrelated resource policy", SINGLE, "allowed", identity=[ALLOW], resource_policy=pol(st(principal={"AWS": B}, resource=TABLE_A)))
case(f, "resource policy naming role grants session", SINGLE, "allowed", caller=SESSION, resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_A)))
case(f, "resource policy naming session ARN grants session", SINGLE, "allowed", caller=SESSION, resource_policy=pol(st(principal={"AWS": SESSION}, resource=TABLE_A)))
case(f, "resource policy naming other session does not grant", SINGLE, "implicitDeny", caller=SESSION, resource_policy=pol(st(principal={"AWS": f"arn:aws:sts::{A}:assumed-role/App/other"}, resource=TABLE_A)))
case(f, "role-ARN grant limited by boundary", SINGLE, "implicitDeny", caller=SESSION, resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_A)), boundary=pol(st("Allow", "s3:*")))
case(f, "session-ARN grant not limited by boundary", SINGLE, "allowed", caller=SESSION, resource_policy=pol(st(principal={"AWS": SESSION}, resource=TABLE_A)), boundary=pol(st("Allow", "s3:*")))
case(f, "user-ARN grant not limited by boundary", SINGLE, "allowed", resource_policy=pol(st(principal={"AWS": USER}, resource=TABLE_A)), boundary=pol(st("Allow", "s3:*")))
case(f, "role-ARN grant limited by session policy", SINGLE, "implicitDeny", caller=SESSION, resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_A)), session=[pol(st("Allow", "s3:*"))])
case(f, "session-ARN grant not limited by session policy", SINGLE, "allowed", caller=SESSION, resource_policy=pol(st(principal={"AWS": SESSION}, resource=TABLE_A)), session=[pol(st("Allow", "s3:*"))])
case(f, "user-ARN grant still stopped by SCP", SINGLE, "implicitDeny", resource_policy=pol(st(principal={"AWS": USER}, resource=TABLE_A)), scp=[pol(st("Allow", "s3:*"))])
case(f, "trust policy naming role allows AssumeRole alone", SINGLE, "allowed", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True)))
case(f, "trust policy naming account needs identity", SINGLE, "implicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": A}, noresource=True)), message=f"User: {SESSION} is not authorized to perform: sts:AssumeRole on resource: {ROLE_A_TARGET} because no identity-based policy allows the sts:AssumeRole action")
case(f, "trust policy naming account + identity allow", SINGLE, "allowed", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_A_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": A}, noresource=True)))
case(f, "identity alone never assumes a role", SINGLE, "implicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], identity=[pol(st(action="sts:AssumeRole", resource="*"))], resource_policy=pol(st(action="sts:AssumeRole", principal={"Service": "lambda.amazonaws.com"}, noresource=True)), message=f"User: {SESSION} is not authorized to perform: sts:AssumeRole on resource: {ROLE_A_TARGET} because no resource-based policy allows the sts:AssumeRole action")
case(f, "trust policy naming user allows user", SINGLE, "allowed", actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": USER}, noresource=True)))
case(f, "trust policy explicit deny", SINGLE, "explicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], identity=[pol(st(action="sts:AssumeRole"))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": A}, noresource=True), st("Deny", action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True)))
case(f, "service principal assumes role through trust policy", SINGLE, "allowed", caller="lambda.amazonaws.com", actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], owner=A, resource_policy=pol(st(action="sts:AssumeRole", principal={"Service": "lambda.amazonaws.com"}, noresource=True)))
case(f, "other service principal cannot assume", SINGLE, "implicitDeny", caller="ec2.amazonaws.com", actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], owner=A, resource_policy=pol(st(action="sts:AssumeRole", principal={"Service": "lambda.amazonaws.com"}, noresource=True)))
case(f, "resource policy Principal * grants in same account", SINGLE, "allowed", caller=SESSION, resource_policy=pol(st(principal="*", resource=TABLE_A)))
case(f, "root user of the account", SINGLE, "allowed", caller=f"arn:aws:iam::{A}:root")
case(f, "resource policy resource mismatch", SINGLE, "implicitDeny", resource_policy=pol(st(principal={"AWS": USER}, resource=TABLE_A + "X")))

# --- cross account ---
f = "cross-account"
case(f, "both sides allow", CROSS, "allowed", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B)))
case(f, "only identity side", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_B} because no resource-based policy allows the dynamodb:GetItem action")
case(f, "only resource side", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B)), message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_B} because no identity-based policy allows the dynamodb:GetItem action")
case(f, "resource side names account", CROSS, "allowed", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": A}, resource=TABLE_B)))
case(f, "resource side names account root ARN", CROSS, "allowed", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": f"arn:aws:iam::{A}:root"}, resource=TABLE_B)))
case(f, "resource side names other account", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": "333333333333"}, resource=TABLE_B)))
case(f, "resource side names session ARN", CROSS, "allowed", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": SESSION}, resource=TABLE_B)))
case(f, "session ARN grant still needs identity cross-account", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], resource_policy=pol(st(principal={"AWS": SESSION}, resource=TABLE_B)))
case(f, "identity allows other table", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_A))], resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B)))
case(f, "deny on resource side", CROSS, "explicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B), st("Deny", principal={"AWS": A}, resource=TABLE_B)))
case(f, "deny on identity side", CROSS, "explicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B), st("Deny", resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B)))
case(f, "boundary limits cross-account", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], boundary=pol(st("Allow", "s3:*")), resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B)))
case(f, "SCP of caller limits cross-account", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], scp=[pol(st("Allow", "s3:*"))], resource_policy=pol(st(principal={"AWS": ROLE}, resource=TABLE_B)))
case(f, "AssumeRole both sides", CROSS, "allowed", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_B_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True)))
case(f, "AssumeRole trust only", CROSS, "implicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True)), message=f"User: {SESSION} is not authorized to perform: sts:AssumeRole on resource: {ROLE_B_TARGET} because no identity-based policy allows the sts:AssumeRole action")
case(f, "AssumeRole identity only", CROSS, "implicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_B_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": "333333333333"}, noresource=True)), message=f"User: {SESSION} is not authorized to perform: sts:AssumeRole on resource: {ROLE_B_TARGET} because no resource-based policy allows the sts:AssumeRole action")
case(f, "AssumeRole trust names account", CROSS, "allowed", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_B_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": A}, noresource=True)))
case(f, "AssumeRole with ExternalId condition met", CROSS, "allowed", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_B_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True, cond={"StringEquals": {"sts:ExternalId": "x-123"}})), context=[("sts:ExternalId", "x-123", "string")])
case(f, "AssumeRole with ExternalId missing", CROSS, "implicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_B_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True, cond={"StringEquals": {"sts:ExternalId": "x-123"}})), missing=["sts:ExternalId"])
case(f, "org condition on resource side", CROSS, "allowed", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal="*", resource=TABLE_B, cond={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})), context=[("aws:PrincipalOrgID", "o-abc", "string")])
case(f, "org condition other org", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal="*", resource=TABLE_B, cond={"StringEquals": {"aws:PrincipalOrgID": "o-abc"}})), context=[("aws:PrincipalOrgID", "o-zzz", "string")])
case(f, "PrincipalAccount condition on Principal *", CROSS, "allowed", caller=SESSION, resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal="*", resource=TABLE_B, cond={"StringEquals": {"aws:PrincipalAccount": A}})))
case(f, "ResourceOwner overrides account", CROSS, "implicitDeny", caller=SESSION, resources=["*"], actions=["dynamodb:ListTables"], identity=[pol(st(action="dynamodb:ListTables"))], owner=B)
case(f, "user in other account", CROSS, "allowed", resources=[TABLE_B], identity=[pol(st(resource=TABLE_B))], resource_policy=pol(st(principal={"AWS": USER}, resource=TABLE_B)))
case(f, "root of other account needs resource policy", CROSS, "implicitDeny", caller=f"arn:aws:iam::{A}:root", resources=[TABLE_B])
case(f, "root of other account with resource policy", CROSS, "allowed", caller=f"arn:aws:iam::{A}:root", resources=[TABLE_B], resource_policy=pol(st(principal={"AWS": A}, resource=TABLE_B)))

# --- principals ---
f = "principals"
for label, principal, caller, expect in [
    ("role ARN matches session", {"AWS": ROLE}, SESSION, "allowed"),
    ("role ARN with path matches session", {"AWS": f"arn:aws:iam::{A}:role/team/App"}, SESSION, "allowed"),
    ("other role does not match", {"AWS": f"arn:aws:iam::{A}:role/Other"}, SESSION, "implicitDeny"),
    ("same role name other account", {"AWS": f"arn:aws:iam::{B}:role/App"}, SESSION, "implicitDeny"),
    ("exact session ARN", {"AWS": SESSION}, SESSION, "allowed"),
    ("session ARN is case-sensitive", {"AWS": SESSION.replace("s1", "S1")}, SESSION, "implicitDeny"),
    ("user ARN", {"AWS": USER}, USER, "allowed"),
    ("user ARN does not match other user", {"AWS": f"arn:aws:iam::{A}:user/bob"}, USER, "implicitDeny"),
    ("wildcard everyone", "*", USER, "allowed"),
    ("AWS * everyone", {"AWS": "*"}, SESSION, "allowed"),
    ("list of principals", {"AWS": [f"arn:aws:iam::{A}:user/bob", ROLE]}, SESSION, "allowed"),
    ("service principal does not match a user", {"Service": "lambda.amazonaws.com"}, USER, "implicitDeny"),
    ("federated principal does not match a user", {"Federated": "cognito-identity.amazonaws.com"}, USER, "implicitDeny"),
    ("user principal does not match session", {"AWS": USER}, SESSION, "implicitDeny"),
    ("session principal does not match user", {"AWS": SESSION}, USER, "implicitDeny"),
]:
    case(f, label, PRIN, expect, caller=caller, resource_policy=pol(st(principal=principal, resource=TABLE_A)))
case(f, "NotPrincipal deny spares fully listed session", NOTP, "allowed", caller=SESSION, identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [SESSION, ROLE, f"arn:aws:iam::{A}:root"]}, resource=TABLE_A)))
case(f, "NotPrincipal deny hits session when only role listed", NOTP, "explicitDeny", caller=SESSION, identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [ROLE]}, resource=TABLE_A)))
case(f, "NotPrincipal deny hits other user", NOTP, "explicitDeny", identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [f"arn:aws:iam::{A}:user/bob", f"arn:aws:iam::{A}:root"]}, resource=TABLE_A)))
case(f, "NotPrincipal deny spares listed user with account", NOTP, "allowed", identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [USER, f"arn:aws:iam::{A}:root"]}, resource=TABLE_A)))
case(f, "NotPrincipal deny spares listed root", NOTP, "allowed", caller=f"arn:aws:iam::{A}:root", resource_policy=pol(st("Deny", notprincipal={"AWS": [f"arn:aws:iam::{A}:root"]}, resource=TABLE_A)))

# --- actions ---
f = "actions"
for label, pattern, action, expect in [
    ("exact action", "dynamodb:GetItem", "dynamodb:GetItem", "allowed"),
    ("action case-insensitive pattern", "DynamoDB:getitem", "dynamodb:GetItem", "allowed"),
    ("action case-insensitive request", "dynamodb:GetItem", "DYNAMODB:GETITEM", "allowed"),
    ("star suffix", "dynamodb:Get*", "dynamodb:GetItem", "allowed"),
    ("star suffix no match", "dynamodb:Get*", "dynamodb:PutItem", "implicitDeny"),
    ("question mark", "dynamodb:?etItem", "dynamodb:GetItem", "allowed"),
    ("question mark one char only", "dynamodb:?tItem", "dynamodb:GetItem", "implicitDeny"),
    ("star everything", "*", "dynamodb:DeleteTable", "allowed"),
    ("service star", "dynamodb:*", "dynamodb:Query", "allowed"),
    ("other service", "s3:*", "dynamodb:Query", "implicitDeny"),
    ("star in middle", "dynamodb:*Item", "dynamodb:BatchGetItem", "allowed"),
    ("star prefix does not match a longer name", "dynamodb:Get*", "dynamodb:BatchGetItem", "implicitDeny"),
]:
    warn = [{"contains": "matches no dynamodb action", "at": "/PolicyInputList/0/Statement/0/Action"}] if label == "question mark one char only" else None
    case(f, label, ACT, expect, actions=[action], identity=[pol(st(action=pattern))], warnings=warn)
case(f, "action list", ACT, ["allowed", "allowed", "implicitDeny"], actions=["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"], identity=[pol(st(action=["dynamodb:GetItem", "dynamodb:Query"]))])
case(f, "NotAction allow", ACT, ["implicitDeny", "allowed"], actions=["dynamodb:DeleteTable", "dynamodb:GetItem"], identity=[pol(st(notaction=["dynamodb:Delete*"]))])
case(f, "NotAction case-insensitive", ACT, "implicitDeny", actions=["dynamodb:deletetable"], identity=[pol(st(notaction=["dynamodb:DeleteTable"]))])

# --- resources ---
f = "resources"
for label, pattern, resource, expect in [
    ("exact resource", TABLE_A, TABLE_A, "allowed"),
    ("resource case-sensitive", TABLE_A.replace("Orders", "orders"), TABLE_A, "implicitDeny"),
    ("star crosses slash", f"arn:aws:dynamodb:us-east-1:{A}:table/*", TABLE_A + "/index/ByStatus", "allowed"),
    ("table ARN does not cover index", TABLE_A, TABLE_A + "/index/ByStatus", "implicitDeny"),
    ("index star", TABLE_A + "/index/*", TABLE_A + "/index/ByStatus", "allowed"),
    ("index star does not cover table", TABLE_A + "/index/*", TABLE_A, "implicitDeny"),
    ("region wildcard", f"arn:aws:dynamodb:*:{A}:table/Orders", TABLE_A, "allowed"),
    ("question mark", f"arn:aws:dynamodb:us-east-1:{A}:table/Order?", TABLE_A, "allowed"),
    ("star matches all", "*", TABLE_A, "allowed"),
    ("other account", TABLE_B, TABLE_A, "implicitDeny"),
    ("account wildcard", "arn:aws:dynamodb:us-east-1:*:table/*", TABLE_A, "allowed"),
    ("prefix without star", "arn:aws:dynamodb:us-east-1:" + A + ":table/Ord", TABLE_A, "implicitDeny"),
]:
    case(f, label, RES, expect, identity=[pol(st(resource=pattern))], resources=[resource])
case(f, "NotResource allow", RES, ["implicitDeny", "allowed"], resources=[TABLE_A, TABLE_A + "2"], identity=[pol(st(notresource=[TABLE_A]))])
case(f, "NotResource deny", RES, ["allowed", "explicitDeny"], resources=[TABLE_A, TABLE_A + "2"], identity=[ALLOW, pol(st("Deny", notresource=[TABLE_A]))])
case(f, "resource list", RES, ["allowed", "allowed"], resources=[TABLE_A, TABLE_A + "/index/X"], identity=[pol(st(resource=[TABLE_A, TABLE_A + "/index/*"]))])

# --- variables ---
f = "variables"
case(f, "aws:username in resource", VARS, "allowed", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/alice-data"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{aws:username}}-data"))])
case(f, "aws:username other user", VARS, "implicitDeny", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/bob-data"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{aws:username}}-data"))])
case(f, "aws:username missing for session", VARS, "implicitDeny", caller=SESSION, resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/-data"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{aws:username}}-data"))])
case(f, "default value used when missing", VARS, "allowed", caller=SESSION, resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/shared-data"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{aws:username, 'shared'}}-data"))])
case(f, "PrincipalAccount variable", VARS, "allowed", resources=[TABLE_A], identity=[pol(st(resource="arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/Orders"))])
case(f, "PrincipalAccount variable other account", VARS, "implicitDeny", resources=[TABLE_B], identity=[pol(st(resource="arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/Orders"))])
case(f, "literal star variable is not a wildcard", VARS, "implicitDeny", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/Orders"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{*}}"))])
case(f, "literal star variable matches a star", VARS, "allowed", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/*"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{*}}"))])
case(f, "literal question mark variable", VARS, "allowed", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/a?b"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/a${{?}}b"))])
case(f, "literal dollar variable", VARS, "allowed", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/a$b"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/a${{$}}b"))])
case(f, "variable in condition value", VARS, "allowed", identity=[pol(st(cond={"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}}))], context=[("aws:PrincipalTag/owner", "alice", "string")])
case(f, "variable in condition value mismatch", VARS, "implicitDeny", identity=[pol(st(cond={"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}}))], context=[("aws:PrincipalTag/owner", "bob", "string")])
case(f, "context key override of derived value", VARS, "allowed", caller=SESSION, resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/carol-data"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{aws:username}}-data"))], context=[("aws:username", "carol", "string")])

# --- conditions ---
f = "conditions"
def cc(label, op, key, policy_values, ctx, expect, ctype="string", doc=COND, missing=None):
    context = [] if ctx is None else [(key, ctx, ctype)]
    case(f, label, doc, expect, identity=[pol(st(cond={op: {key: policy_values}}))], context=context, missing=missing)
cc("StringEquals match", "StringEquals", "aws:PrincipalTag/team", "data", "data", "allowed")
cc("StringEquals case-sensitive", "StringEquals", "aws:PrincipalTag/team", "data", "Data", "implicitDeny")
cc("StringEquals any of values", "StringEquals", "aws:PrincipalTag/team", ["a", "data"], "data", "allowed")
cc("StringEquals missing key", "StringEquals", "aws:PrincipalTag/team", "data", None, "implicitDeny", missing=["aws:PrincipalTag/team"])
cc("StringNotEquals match", "StringNotEquals", "aws:PrincipalTag/team", "data", "web", "allowed")
cc("StringNotEquals equal", "StringNotEquals", "aws:PrincipalTag/team", "data", "data", "implicitDeny")
cc("StringNotEquals missing key is true", "StringNotEquals", "aws:PrincipalTag/team", "data", None, "allowed")
cc("StringEqualsIgnoreCase", "StringEqualsIgnoreCase", "aws:PrincipalTag/team", "DATA", "data", "allowed")
cc("StringNotEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "aws:PrincipalTag/team", "DATA", "data", "implicitDeny")
cc("StringLike star", "StringLike", "aws:PrincipalTag/team", "da*", "data", "allowed")
cc("StringLike question", "StringLike", "aws:PrincipalTag/team", "d?ta", "data", "allowed")
cc("StringLike no match", "StringLike", "aws:PrincipalTag/team", "x*", "data", "implicitDeny")
cc("StringNotLike", "StringNotLike", "aws:PrincipalTag/team", "x*", "data", "allowed")
cc("StringNotLike missing key", "StringNotLike", "aws:PrincipalTag/team", "x*", None, "allowed")
cc("StringEqualsIfExists missing", "StringEqualsIfExists", "aws:PrincipalTag/team", "data", None, "allowed")
cc("StringEqualsIfExists present mismatch", "StringEqualsIfExists", "aws:PrincipalTag/team", "data", "web", "implicitDeny")
cc("NumericEquals", "NumericEquals", "dynamodb:Limit", "10", "10", "allowed", "numeric")
cc("NumericNotEquals", "NumericNotEquals", "dynamodb:Limit", "10", "10", "implicitDeny", "numeric")
cc("NumericLessThan", "NumericLessThan", "dynamodb:Limit", "10", "9", "allowed", "numeric")
cc("NumericLessThan equal", "NumericLessThan", "dynamodb:Limit", "10", "10", "implicitDeny", "numeric")
cc("NumericLessThanEquals", "NumericLessThanEquals", "dynamodb:Limit", "10", "10", "allowed", "numeric")
cc("NumericGreaterThan", "NumericGreaterThan", "dynamodb:Limit", "10", "11", "allowed", "numeric")
cc("NumericGreaterThanEquals", "NumericGreaterThanEquals", "dynamodb:Limit", "10", "9.5", "implicitDeny", "numeric")
cc("Numeric missing", "NumericLessThan", "dynamodb:Limit", "10", None, "implicitDeny")
cc("DateLessThan", "DateLessThan", "aws:CurrentTime", "2030-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "allowed", "date")
cc("DateGreaterThan", "DateGreaterThan", "aws:CurrentTime", "2030-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "implicitDeny", "date")
cc("DateEquals epoch", "DateEquals", "aws:CurrentTime", "1767225600", "2026-01-01T00:00:00Z", "allowed", "date")
cc("DateNotEquals", "DateNotEquals", "aws:CurrentTime", "2026-01-01", "2026-01-02T00:00:00Z", "allowed", "date")
cc("DateLessThanEquals", "DateLessThanEquals", "aws:CurrentTime", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "allowed", "date")
cc("DateGreaterThanEquals", "DateGreaterThanEquals", "aws:CurrentTime", "2026-01-01T00:00:01Z", "2026-01-01T00:00:00Z", "implicitDeny", "date")
cc("Bool true", "Bool", "aws:SecureTransport", "true", "true", "allowed", "boolean")
cc("Bool false", "Bool", "aws:SecureTransport", "true", "false", "implicitDeny", "boolean")
cc("Bool derived SecureTransport", "Bool", "aws:SecureTransport", "true", None, "allowed", doc=GLOBAL)
cc("BinaryEquals", "BinaryEquals", "my:blob", "QmluYXJ5VmFsdWU=", "QmluYXJ5VmFsdWU=", "allowed", "binary")
cc("BinaryEquals mismatch", "BinaryEquals", "my:blob", "QmluYXJ5VmFsdWU=", "AAAA", "implicitDeny", "binary")
cc("IpAddress v4 in", "IpAddress", "aws:SourceIp", "203.0.113.0/24", "203.0.113.9", "allowed", "ip")
cc("IpAddress v4 out", "IpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.9", "implicitDeny", "ip")
cc("IpAddress v6 in", "IpAddress", "aws:SourceIp", "2001:db8::/32", "2001:db8:1::5", "allowed", "ip")
cc("IpAddress v4 v6 never mix", "IpAddress", "aws:SourceIp", "0.0.0.0/0", "2001:db8::1", "implicitDeny", "ip")
cc("NotIpAddress", "NotIpAddress", "aws:SourceIp", "203.0.113.0/24", "198.51.100.9", "allowed", "ip")
cc("NotIpAddress missing", "NotIpAddress", "aws:SourceIp", "203.0.113.0/24", None, "allowed")
cc("ArnEquals", "ArnEquals", "aws:SourceArn", f"arn:aws:lambda:us-east-1:{A}:function:orders", f"arn:aws:lambda:us-east-1:{A}:function:orders", "allowed")
cc("ArnLike wildcard", "ArnLike", "aws:SourceArn", f"arn:aws:lambda:*:{A}:function:*", f"arn:aws:lambda:us-east-1:{A}:function:orders", "allowed")
cc("ArnLike star stays in its part", "ArnLike", "aws:SourceArn", "arn:aws:lambda:*", f"arn:aws:lambda:us-east-1:{A}:function:orders", "implicitDeny")
cc("ArnNotLike", "ArnNotLike", "aws:SourceArn", f"arn:aws:lambda:*:{B}:function:*", f"arn:aws:lambda:us-east-1:{A}:function:orders", "allowed")
cc("ArnNotEquals missing", "ArnNotEquals", "aws:SourceArn", f"arn:aws:lambda:us-east-1:{A}:function:orders", None, "allowed")
cc("ArnLike not an ARN", "ArnLike", "aws:SourceArn", "arn:aws:lambda:*:*:*:*", "orders", "implicitDeny")
cc("Null true key missing", "Null", "aws:TokenIssueTime", "true", None, "allowed")
cc("Null true key present", "Null", "aws:TokenIssueTime", "true", "2026-01-01T00:00:00Z", "implicitDeny")
cc("Null false key present", "Null", "aws:TokenIssueTime", "false", "2026-01-01T00:00:00Z", "allowed")
cc("Null false key missing", "Null", "aws:TokenIssueTime", "false", None, "implicitDeny")
cc("key names are case-insensitive", "StringEquals", "AWS:PRINCIPALTAG/team", "data", "data", "allowed")
cc("derived PrincipalType", "StringEquals", "aws:PrincipalType", "User", None, "allowed", doc=GLOBAL)
cc("derived PrincipalAccount", "StringEquals", "aws:PrincipalAccount", A, None, "allowed", doc=GLOBAL)
cc("derived PrincipalArn of user", "ArnEquals", "aws:PrincipalArn", USER, None, "allowed", doc=GLOBAL)
cc("derived RequestedRegion", "StringEquals", "aws:RequestedRegion", "us-east-1", None, "allowed", doc=GLOBAL)
cc("derived username", "StringEquals", "aws:username", "alice", None, "allowed", doc=GLOBAL)
case(f, "derived PrincipalArn of a session is the role ARN", GLOBAL, "allowed", caller=SESSION, identity=[pol(st(cond={"ArnEquals": {"aws:PrincipalArn": ROLE}}))])
case(f, "derived PrincipalType of a session", GLOBAL, "allowed", caller=SESSION, identity=[pol(st(cond={"StringEquals": {"aws:PrincipalType": "AssumedRole"}}))])
case(f, "two keys are ANDed", COND, "implicitDeny", identity=[pol(st(cond={"StringEquals": {"aws:PrincipalTag/team": "data", "aws:PrincipalTag/env": "prod"}}))], context=[("aws:PrincipalTag/team", "data", "string"), ("aws:PrincipalTag/env", "dev", "string")])
case(f, "two operators are ANDed", COND, "allowed", identity=[pol(st(cond={"StringEquals": {"aws:PrincipalTag/team": "data"}, "Bool": {"aws:SecureTransport": "true"}}))], context=[("aws:PrincipalTag/team", "data", "string")])
case(f, "two operators one false", COND, "implicitDeny", identity=[pol(st(cond={"StringEquals": {"aws:PrincipalTag/team": "data"}, "Bool": {"aws:SecureTransport": "false"}}))], context=[("aws:PrincipalTag/team", "data", "string")])

# --- multivalued ---
f = "multivalued"
def mv(label, op, values, ctx, expect, ctype="stringList"):
    context = [] if ctx is None else [("aws:TagKeys", ctx, ctype)]
    case(f, label, MULTI, expect, identity=[pol(st(cond={op: {"aws:TagKeys": values}}))], context=context)
mv("ForAllValues subset", "ForAllValues:StringEquals", ["a", "b"], ["a"], "allowed")
mv("ForAllValues not subset", "ForAllValues:StringEquals", ["a", "b"], ["a", "c"], "implicitDeny")
mv("ForAllValues missing key is true", "ForAllValues:StringEquals", ["a"], None, "allowed")
mv("ForAllValues empty list is true", "ForAllValues:StringEquals", ["a"], [], "allowed")
mv("ForAnyValue overlap", "ForAnyValue:StringEquals", ["a", "b"], ["c", "b"], "allowed")
mv("ForAnyValue no overlap", "ForAnyValue:StringEquals", ["a", "b"], ["c"], "implicitDeny")
mv("ForAnyValue missing key is false", "ForAnyValue:StringEquals", ["a"], None, "implicitDeny")
mv("ForAnyValue StringLike", "ForAnyValue:StringLike", ["team-*"], ["x", "team-a"], "allowed")
mv("ForAllValues StringLike", "ForAllValues:StringLike", ["team-*"], ["x", "team-a"], "implicitDeny")
mv("ForAnyValue StringNotEquals", "ForAnyValue:StringNotEquals", ["a"], ["a", "b"], "allowed")
mv("ForAllValues StringNotEquals", "ForAllValues:StringNotEquals", ["a"], ["b", "c"], "allowed")
mv("ForAllValues StringNotEquals hit", "ForAllValues:StringNotEquals", ["a"], ["a", "c"], "implicitDeny")
mv("ForAnyValue IfExists missing", "ForAnyValue:StringEqualsIfExists", ["a"], None, "allowed")
mv("ForAllValues case-sensitive", "ForAllValues:StringEquals", ["a"], ["A"], "implicitDeny")
mv("ForAllValues IgnoreCase", "ForAllValues:StringEqualsIgnoreCase", ["a"], ["A"], "allowed")

# --- messages (troubleshooting page) ---
f = "messages"
case(f, "implicit identity message for role session", TROUBLE, "implicitDeny", caller=SESSION, actions=["dynamodb:DeleteItem"], identity=[ALLOW], message=f"User: {SESSION} is not authorized to perform: dynamodb:DeleteItem on resource: {TABLE_A} because no identity-based policy allows the dynamodb:DeleteItem action")
case(f, "explicit deny identity message", TROUBLE, "explicitDeny", caller=SESSION, identity=[pol(st("Deny", "dynamodb:*"))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in an identity-based policy")
case(f, "resource-based message cross-account", TROUBLE, "implicitDeny", caller=SESSION, resources=[TABLE_B], identity=[ALLOW], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_B} because no resource-based policy allows the dynamodb:GetItem action")
case(f, "boundary message for session", TROUBLE, "implicitDeny", caller=SESSION, identity=[ALLOW], boundary=pol(st("Allow", "sts:*")), message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no permissions boundary allows the dynamodb:GetItem action")
case(f, "SCP message takes precedence over identity", TROUBLE, "implicitDeny", caller=SESSION, scp=[pol(st("Allow", "sts:*"))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no service control policy allows the dynamodb:GetItem action")
case(f, "explicit deny in SCP message for session", TROUBLE, "explicitDeny", caller=SESSION, identity=[ALLOW], scp=[pol(st("Allow", "*"), st("Deny", "dynamodb:GetItem"))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in a service control policy")
case(f, "session policy message", TROUBLE, "implicitDeny", caller=SESSION, identity=[ALLOW], session=[pol(st("Allow", "dynamodb:PutItem"))], message=f"User: {SESSION} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no session policy allows the dynamodb:GetItem action")
case(f, "trust policy message for AssumeRole", TROUBLE, "implicitDeny", caller=B_SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], identity=[pol(st(action="sts:AssumeRole"))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True)), message=f"User: {B_SESSION} is not authorized to perform: sts:AssumeRole on resource: {ROLE_A_TARGET} because no resource-based policy allows the sts:AssumeRole action")
case(f, "explicit deny in trust policy message", TROUBLE, "explicitDeny", caller=B_SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], identity=[pol(st(action="sts:AssumeRole"))], resource_policy=pol(st("Deny", action="sts:AssumeRole", principal={"AWS": B}, noresource=True)), message=f"User: {B_SESSION} is not authorized to perform: sts:AssumeRole on resource: {ROLE_A_TARGET} with an explicit deny in a resource-based policy")


# ===================== Round 2: the documented rules the first engine missed =====================
VERSION = "IAM User Guide: IAM JSON policy elements: Version"
BOUND = "IAM User Guide: Permissions boundaries for IAM entities"
KMSDOC = "AWS KMS Developer Guide: Key policies in AWS KMS"
FEDDOC = "IAM User Guide: Permissions for GetFederationToken"
SESSDOC = "IAM User Guide: Policies and permissions in IAM (session policies)"
STSDOC = "AWS STS API Reference: AssumeRole"
AADOC = "IAM User Guide: IAM Access Analyzer policy check reference"
SAR = "Service Authorization Reference: Actions, resources, and condition keys for AWS services"
QUOTAS = "IAM User Guide: IAM and AWS STS quotas"
ORGQ = "AWS Organizations User Guide: Quotas for AWS Organizations"
DDBQ = "DynamoDB Developer Guide: DynamoDB resource-based policy considerations"
IDS = "IAM User Guide: IAM identifiers"
ROOT_A = f"arn:aws:iam::{A}:root"
KEY_A = f"arn:aws:kms:us-east-1:{A}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_B = f"arn:aws:kms:us-east-1:{B}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FED = f"arn:aws:sts::{A}:federated-user/carol"
PATH_ROLE = f"arn:aws:iam::{A}:role/team/App"

def nover(*stmts, version=None):
    p = {"Statement": list(stmts)}
    if version: p = {"Version": version, "Statement": list(stmts)}
    return p

# --- Version: without 2012-10-17, ${...} is literal text ---
f = "version"
UTAB = f"arn:aws:dynamodb:us-east-1:{A}:table/${{aws:username}}-data"
for version in (None, "2008-10-17"):
    label = "no Version" if version is None else "Version 2008-10-17"
    case(f, f"{label}: variable in Resource is literal, the user's table is not granted", VERSION, "implicitDeny", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/alice-data"], identity=[nover(st(resource=UTAB), version=version)])
    case(f, f"{label}: variable in Resource matches its own literal text", VERSION, "allowed", resources=[UTAB], identity=[nover(st(resource=UTAB), version=version)])
    case(f, f"{label}: variable in a condition value is literal", VERSION, "implicitDeny", identity=[nover(st(cond={"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}}), version=version)], context=[("aws:PrincipalTag/owner", "alice", "string")])
    case(f, f"{label}: condition value equal to the literal text", VERSION, "allowed", identity=[nover(st(cond={"StringEquals": {"aws:PrincipalTag/owner": "${aws:username}"}}), version=version)], context=[("aws:PrincipalTag/owner", "${aws:username}", "string")])
    case(f, f"{label}: ${{*}} is not a star", VERSION, "implicitDeny", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/*"], identity=[nover(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/${{*}}"), version=version)])
case(f, "Version 2012-10-17 replaces the variable", VERSION, "allowed", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/alice-data"], identity=[pol(st(resource=UTAB))])
case(f, "no Version in a resource policy: variable in the condition is literal", VERSION, "implicitDeny", resource_policy=nover(st(principal="*", resource=TABLE_A, cond={"StringEquals": {"aws:PrincipalAccount": "${aws:PrincipalAccount}"}})))
case(f, "no Version without variables evaluates as usual", VERSION, "allowed", identity=[nover(st(resource=TABLE_A))])

# --- NotPrincipal with Deny and a permissions boundary ---
f = "notprincipal-boundary"
NP_USER = [USER, ROOT_A]
NP_SESSION = [SESSION, ROLE, ROOT_A]
case(f, "listed user with a boundary is denied all the same", BOUND, "explicitDeny", identity=[ALLOW], boundary=pol(st("Allow", "*")), resource_policy=pol(st("Deny", notprincipal={"AWS": NP_USER}, resource=TABLE_A)))
case(f, "listed session of a role with a boundary is denied", BOUND, "explicitDeny", caller=SESSION, identity=[ALLOW], boundary=pol(st("Allow", "*")), resource_policy=pol(st("Deny", notprincipal={"AWS": NP_SESSION}, resource=TABLE_A)))
case(f, "listed user without a boundary is spared", NOTP, "allowed", identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": NP_USER}, resource=TABLE_A)))
case(f, "boundary: NotPrincipal deny of another action leaves the request", BOUND, "allowed", identity=[ALLOW], boundary=pol(st("Allow", "*")), resource_policy=pol(st("Deny", action="dynamodb:PutItem", notprincipal={"AWS": NP_USER}, resource=TABLE_A)))
case(f, "boundary: unlisted user is denied as before", BOUND, "explicitDeny", identity=[ALLOW], boundary=pol(st("Allow", "*")), resource_policy=pol(st("Deny", notprincipal={"AWS": [f"arn:aws:iam::{A}:user/bob", ROOT_A]}, resource=TABLE_A)))
case(f, "boundary: message names the resource-based policy", BOUND, "explicitDeny", identity=[ALLOW], boundary=pol(st("Allow", "dynamodb:*")), resource_policy=pol(st("Deny", notprincipal={"AWS": NP_USER}, resource=TABLE_A)), message=f"User: {USER} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} with an explicit deny in a resource-based policy")

# --- KMS key policies ---
f = "kms"
KMS_ID = pol(st(action="kms:Decrypt", resource=KEY_A))
def keypol(*stmts): return pol(*stmts)
ENABLE_IAM = st(action="kms:*", principal={"AWS": ROOT_A}, resource="*", sid="EnableIAMPolicies")
case(f, "identity policy alone cannot use a key", KMSDOC, "implicitDeny", actions=["kms:Decrypt"], resources=[KEY_A], identity=[KMS_ID], message=f"User: {USER} is not authorized to perform: kms:Decrypt on resource: {KEY_A} because no resource-based policy allows the kms:Decrypt action")
case(f, "key policy delegating to the account enables the identity policy", KMSDOC, "allowed", actions=["kms:Decrypt"], resources=[KEY_A], identity=[KMS_ID], resource_policy=keypol(ENABLE_IAM))
case(f, "key policy naming another user: identity policy has no effect", KMSDOC, "implicitDeny", actions=["kms:Decrypt"], resources=[KEY_A], identity=[KMS_ID], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": f"arn:aws:iam::{A}:user/bob"}, resource="*")))
case(f, "key policy delegating to the account, no identity policy", KMSDOC, "implicitDeny", actions=["kms:Decrypt"], resources=[KEY_A], resource_policy=keypol(ENABLE_IAM))
case(f, "key policy naming the user allows without an identity policy", KMSDOC, "allowed", actions=["kms:Decrypt"], resources=[KEY_A], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": USER}, resource="*")))
case(f, "key policy naming the role allows its session", KMSDOC, "allowed", caller=SESSION, actions=["kms:Decrypt"], resources=[KEY_A], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": ROLE}, resource="*")))
case(f, "root user cannot use a key its key policy does not allow", KMSDOC, "implicitDeny", caller=ROOT_A, actions=["kms:Decrypt"], resources=[KEY_A], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": USER}, resource="*")))
case(f, "root user without any key policy", KMSDOC, "implicitDeny", caller=ROOT_A, actions=["kms:Decrypt"], resources=[KEY_A])
case(f, "root user uses a key whose policy allows the account", KMSDOC, "allowed", caller=ROOT_A, actions=["kms:Decrypt"], resources=[KEY_A], resource_policy=keypol(ENABLE_IAM))
case(f, "identity Deny works without the key policy's permission", KMSDOC, "explicitDeny", actions=["kms:Decrypt"], resources=[KEY_A], identity=[pol(st("Deny", "kms:*", resource="*"))], resource_policy=keypol(ENABLE_IAM))
case(f, "key policy allows another action only", KMSDOC, "implicitDeny", actions=["kms:Decrypt"], resources=[KEY_A], identity=[KMS_ID], resource_policy=keypol(st(action="kms:Encrypt", principal={"AWS": ROOT_A}, resource="*")))
case(f, "cross-account key: key policy names the account and the identity policy allows", KMSDOC, "allowed", caller=SESSION, actions=["kms:Decrypt"], resources=[KEY_B], identity=[pol(st(action="kms:Decrypt", resource=KEY_B))], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": ROOT_A}, resource="*")))
case(f, "cross-account key: no identity policy", KMSDOC, "implicitDeny", caller=SESSION, actions=["kms:Decrypt"], resources=[KEY_B], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": ROOT_A}, resource="*")))
case(f, "key policy with Principal * and the account condition", KMSDOC, "allowed", caller=SESSION, actions=["kms:Decrypt"], resources=[KEY_A], resource_policy=keypol(st(action="kms:Decrypt", principal="*", resource="*", cond={"StringEquals": {"kms:CallerAccount": A}})), context=[("kms:CallerAccount", A, "string")])
case(f, "table in the same account needs no resource policy (keys are the exception)", KMSDOC, "allowed", identity=[ALLOW])

# --- S3: bucket and object ARNs carry no account, so the owner is given (ResourceOwner, as the model's bucket account) ---
f = "s3"
S3AUTH = "Amazon S3 User Guide: How Amazon S3 authorizes a request"
S3EX = "Amazon S3 User Guide: Examples of Amazon S3 bucket policies"
KMSX = "AWS KMS Developer Guide: Allowing users in other accounts to use a KMS key"
BUCKET_B = "arn:aws:s3:::reports-b"
OBJECTS_B = BUCKET_B + "/*"
OBJECT_B = BUCKET_B + "/daily/2026-01-01.csv"
GET_ID = pol(st(action="s3:GetObject", resource=OBJECTS_B))
GET_BP = pol(st(action="s3:GetObject", principal={"AWS": ROLE}, resource=OBJECTS_B))
LIST_BP = pol(st(action="s3:ListBucket", principal={"AWS": ROLE}, resource=BUCKET_B))
case(f, "same account: a bucket policy naming the role grants without an identity policy", S3AUTH, "allowed", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], resource_policy=GET_BP, owner=A)
case(f, "same account: an identity policy grants without a bucket policy", S3AUTH, "allowed", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], identity=[GET_ID], owner=A)
case(f, "cross-account: identity policy and bucket policy both allow", S3AUTH, "allowed", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], identity=[GET_ID], resource_policy=GET_BP, owner=B)
case(f, "cross-account: the bucket policy alone is not enough", S3AUTH, "implicitDeny", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], resource_policy=GET_BP, owner=B)
case(f, "cross-account: the identity policy alone is not enough", S3AUTH, "implicitDeny", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], identity=[GET_ID], owner=B)
case(f, "cross-account: bucket policy on the bucket ARN does not cover objects", S3EX, "implicitDeny", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], identity=[GET_ID], resource_policy=pol(st(action="s3:GetObject", principal={"AWS": ROLE}, resource=BUCKET_B)), owner=B)
case(f, "cross-account: s3:ListBucket on the bucket ARN", S3EX, "allowed", caller=SESSION, actions=["s3:ListBucket"], resources=[BUCKET_B], identity=[pol(st(action="s3:ListBucket", resource=BUCKET_B))], resource_policy=LIST_BP, owner=B)
case(f, "cross-account: s3:ListBucket granted on objects only", S3EX, "implicitDeny", caller=SESSION, actions=["s3:ListBucket"], resources=[BUCKET_B], identity=[pol(st(action="s3:ListBucket", resource=OBJECTS_B))], resource_policy=LIST_BP, owner=B)
case(f, "cross-account: an object prefix in both policies", S3EX, "allowed", caller=SESSION, actions=["s3:PutObject"], resources=[OBJECT_B], identity=[pol(st(action="s3:PutObject", resource=BUCKET_B + "/daily/*"))], resource_policy=pol(st(action="s3:PutObject", principal={"AWS": ROLE}, resource=BUCKET_B + "/daily/*")), owner=B)
case(f, "cross-account: an object outside the granted prefix", S3EX, "implicitDeny", caller=SESSION, actions=["s3:PutObject"], resources=[BUCKET_B + "/monthly/x.csv"], identity=[pol(st(action="s3:PutObject", resource=BUCKET_B + "/daily/*"))], resource_policy=pol(st(action="s3:PutObject", principal={"AWS": ROLE}, resource=BUCKET_B + "/daily/*")), owner=B)
case(f, "bucket policy Deny wins over the identity policy", S3AUTH, "explicitDeny", caller=SESSION, actions=["s3:GetObject"], resources=[OBJECT_B], identity=[GET_ID], resource_policy=pol(st(action="s3:GetObject", principal={"AWS": ROLE}, resource=OBJECTS_B), st("Deny", "s3:GetObject", principal="*", resource=OBJECTS_B)), owner=B)
# SSE-KMS on a bucket in B: the reader in A also needs kms:Decrypt (the writer kms:GenerateDataKey) on B's key, on both sides.
case(f, "SSE-KMS read across accounts: key policy names the role and the identity policy allows kms:Decrypt", KMSX, "allowed", caller=SESSION, actions=["kms:Decrypt"], resources=[KEY_B], identity=[pol(st(action="kms:Decrypt", resource=KEY_B))], resource_policy=keypol(st(action="kms:Decrypt", principal={"AWS": ROLE}, resource="*")))
case(f, "SSE-KMS read across accounts: key policy without the caller", KMSX, "implicitDeny", caller=SESSION, actions=["kms:Decrypt"], resources=[KEY_B], identity=[pol(st(action="kms:Decrypt", resource=KEY_B))], resource_policy=keypol(st(action="kms:*", principal={"AWS": f"arn:aws:iam::{B}:root"}, resource="*")), message=f"User: {SESSION} is not authorized to perform: kms:Decrypt on resource: {KEY_B} because no resource-based policy allows the kms:Decrypt action")
case(f, "SSE-KMS write across accounts: kms:GenerateDataKey needs the identity side too", KMSX, "implicitDeny", caller=SESSION, actions=["kms:GenerateDataKey"], resources=[KEY_B], resource_policy=keypol(st(action="kms:GenerateDataKey", principal={"AWS": ROLE}, resource="*")), message=f"User: {SESSION} is not authorized to perform: kms:GenerateDataKey on resource: {KEY_B} because no identity-based policy allows the kms:GenerateDataKey action")
case(f, "SSE-KMS write across accounts: both sides allow kms:GenerateDataKey", KMSX, "allowed", caller=SESSION, actions=["kms:GenerateDataKey"], resources=[KEY_B], identity=[pol(st(action="kms:GenerateDataKey", resource=KEY_B))], resource_policy=keypol(st(action="kms:GenerateDataKey", principal={"AWS": ROOT_A}, resource="*")))

# --- federated users (GetFederationToken) ---
f = "federated"
case(f, "federated user without a session policy has no permission", FEDDOC, "implicitDeny", caller=FED, identity=[ALLOW], message=f"User: {FED} is not authorized to perform: dynamodb:GetItem on resource: {TABLE_A} because no session policy allows the dynamodb:GetItem action")
case(f, "federated user: identity and session policy allow", FEDDOC, "allowed", caller=FED, identity=[ALLOW], session=[ALLOW])
case(f, "federated user: session policy cannot grant more than the user has", FEDDOC, "implicitDeny", caller=FED, session=[ALLOW])
case(f, "federated user: session policy narrower than the user", FEDDOC, "implicitDeny", caller=FED, identity=[ALLOW], session=[pol(st(action="dynamodb:PutItem"))])
case(f, "federated user: resource policy naming the session grants without a session policy", FEDDOC, "allowed", caller=FED, resource_policy=pol(st(principal={"AWS": FED}, resource=TABLE_A)))
case(f, "federated user: aws:userid is account:name", VARS, "allowed", caller=FED, identity=[pol(st(cond={"StringEquals": {"aws:userid": f"{A}:carol"}}))], session=[ALLOW])
case(f, "federated user: aws:userid is not the ARN", VARS, "implicitDeny", caller=FED, identity=[pol(st(cond={"StringEquals": {"aws:userid": FED}}))], session=[ALLOW])
case(f, "federated user: aws:PrincipalType is FederatedUser", GLOBAL, "allowed", caller=FED, identity=[pol(st(cond={"StringEquals": {"aws:PrincipalType": "FederatedUser"}}))], session=[ALLOW])
case(f, "federated user: aws:TokenIssueTime is present", GLOBAL, "allowed", caller=FED, identity=[pol(st(cond={"Null": {"aws:TokenIssueTime": "false"}}))], session=[ALLOW])

# --- aws:TokenIssueTime on role sessions ---
f = "sessions"
case(f, "role session carries aws:TokenIssueTime", GLOBAL, "allowed", caller=SESSION, identity=[pol(st(cond={"Null": {"aws:TokenIssueTime": "false"}}))])
case(f, "Null true on aws:TokenIssueTime is false for a session", GLOBAL, "implicitDeny", caller=SESSION, identity=[pol(st(cond={"Null": {"aws:TokenIssueTime": "true"}}))])
case(f, "deny of long-term credentials spares a session", GLOBAL, "allowed", caller=SESSION, identity=[ALLOW, pol(st("Deny", cond={"Null": {"aws:TokenIssueTime": "true"}}))])
case(f, "deny of long-term credentials hits a user", GLOBAL, "explicitDeny", identity=[ALLOW, pol(st("Deny", cond={"Null": {"aws:TokenIssueTime": "true"}}))])
case(f, "DateLessThan on the session's issue time", GLOBAL, "allowed", caller=SESSION, identity=[pol(st(cond={"DateLessThan": {"aws:TokenIssueTime": "2099-01-01T00:00:00Z"}}))])
case(f, "DateGreaterThan on the issue time of a user's request (missing)", GLOBAL, "implicitDeny", identity=[pol(st(cond={"DateGreaterThan": {"aws:TokenIssueTime": "2000-01-01T00:00:00Z"}}))])

# --- Principal * with aws:PrincipalArn in a same-account resource policy ---
f = "principal-arn"
STAR_ARN = lambda arn, op="ArnEquals": pol(st(principal="*", resource=TABLE_A, cond={op: {"aws:PrincipalArn": arn}}))
case(f, "Principal * with aws:PrincipalArn: boundary does not limit the session", SINGLE, "allowed", caller=SESSION, boundary=pol(st("Allow", "s3:*")), resource_policy=STAR_ARN(ROLE))
case(f, "Principal * with aws:PrincipalArn: session policy does not limit", SINGLE, "allowed", caller=SESSION, session=[pol(st("Allow", "s3:*"))], resource_policy=STAR_ARN(ROLE))
case(f, "Principal * with aws:PrincipalArn: boundary does not limit the user", SINGLE, "allowed", boundary=pol(st("Allow", "s3:*")), resource_policy=STAR_ARN(USER, "StringEquals"))
case(f, "Principal * without a condition stays within the boundary", SINGLE, "implicitDeny", caller=SESSION, boundary=pol(st("Allow", "s3:*")), resource_policy=pol(st(principal="*", resource=TABLE_A)))
case(f, "Principal * with ArnLike on aws:PrincipalArn", SINGLE, "allowed", caller=SESSION, boundary=pol(st("Allow", "s3:*")), resource_policy=STAR_ARN(f"arn:aws:iam::{A}:role/*", "ArnLike"))
case(f, "Principal * with a negated aws:PrincipalArn condition stays within the boundary", SINGLE, "implicitDeny", caller=SESSION, boundary=pol(st("Allow", "s3:*")), resource_policy=STAR_ARN(f"arn:aws:iam::{A}:role/Other", "ArnNotEquals"))
case(f, "Principal * with aws:PrincipalArn of another role", SINGLE, "implicitDeny", caller=SESSION, resource_policy=STAR_ARN(f"arn:aws:iam::{A}:role/Other"))
case(f, "cross-account Principal * with aws:PrincipalArn still needs the identity side", CROSS, "implicitDeny", caller=SESSION, resources=[TABLE_B], resource_policy=pol(st(principal="*", resource=TABLE_B, cond={"ArnEquals": {"aws:PrincipalArn": ROLE}})))

# --- trust policies: the caller's boundary, and the root user ---
f = "trust"
TRUST_USER = pol(st(action="sts:AssumeRole", principal={"AWS": USER}, noresource=True))
case(f, "trust naming the user: the user's boundary must allow sts:AssumeRole", BOUND, "implicitDeny", actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], boundary=pol(st("Allow", "s3:*")), resource_policy=TRUST_USER, message=f"User: {USER} is not authorized to perform: sts:AssumeRole on resource: {ROLE_A_TARGET} because no permissions boundary allows the sts:AssumeRole action")
case(f, "trust naming the user: a boundary allowing sts:AssumeRole", BOUND, "allowed", actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], boundary=pol(st("Allow", "sts:AssumeRole")), resource_policy=TRUST_USER)
case(f, "trust naming the session: the session policy must allow sts:AssumeRole", SINGLE, "implicitDeny", caller=SESSION, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], session=[pol(st("Allow", "s3:*"))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": SESSION}, noresource=True)))
case(f, "root user cannot assume a role of its account", STSDOC, "implicitDeny", caller=ROOT_A, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROOT_A}, noresource=True)))
case(f, "root user cannot assume a role trusting its account id", STSDOC, "implicitDeny", caller=ROOT_A, actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": A}, noresource=True)))
case(f, "root user cannot assume a role of another account", STSDOC, "implicitDeny", caller=ROOT_A, actions=["sts:AssumeRole"], resources=[ROLE_B_TARGET], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROOT_A}, noresource=True)))
case(f, "a user in the trusted account with an identity policy assumes the role", SINGLE, "allowed", actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], identity=[pol(st(action="sts:AssumeRole", resource=ROLE_A_TARGET))], resource_policy=pol(st(action="sts:AssumeRole", principal={"AWS": ROOT_A}, noresource=True)))

# --- policy variables that cannot be resolved ---
f = "unresolved"
NOUSER = "${aws:username}"
case(f, "StringNotEquals with an unresolvable variable does not match (Allow)", VARS, "implicitDeny", caller=SESSION, identity=[pol(st(cond={"StringNotEquals": {"aws:PrincipalTag/team": NOUSER}}))], context=[("aws:PrincipalTag/team", "data", "string")])
case(f, "StringNotEquals with an unresolvable variable does not match (Deny)", VARS, "allowed", caller=SESSION, identity=[ALLOW, pol(st("Deny", cond={"StringNotEquals": {"aws:PrincipalTag/team": NOUSER}}))], context=[("aws:PrincipalTag/team", "data", "string")])
case(f, "StringNotLike with an unresolvable variable does not match", VARS, "implicitDeny", caller=SESSION, identity=[pol(st(cond={"StringNotLike": {"aws:PrincipalTag/team": NOUSER + "*"}}))], context=[("aws:PrincipalTag/team", "data", "string")])
case(f, "ArnNotEquals with an unresolvable variable does not match", VARS, "implicitDeny", caller=SESSION, identity=[pol(st(cond={"ArnNotEquals": {"aws:SourceArn": f"arn:aws:lambda:us-east-1:{A}:function:{NOUSER}"}}))], context=[("aws:SourceArn", f"arn:aws:lambda:us-east-1:{A}:function:x", "string")])
case(f, "NotResource with an unresolvable variable does not match (Allow)", VARS, "implicitDeny", caller=SESSION, identity=[pol(st(notresource=f"arn:aws:dynamodb:us-east-1:{A}:table/{NOUSER}"))])
case(f, "NotResource with an unresolvable variable does not match (Deny)", VARS, "allowed", caller=SESSION, identity=[ALLOW, pol(st("Deny", notresource=f"arn:aws:dynamodb:us-east-1:{A}:table/{NOUSER}"))])
case(f, "NotResource with the variable resolved (user)", VARS, "explicitDeny", identity=[ALLOW, pol(st("Deny", notresource=f"arn:aws:dynamodb:us-east-1:{A}:table/{NOUSER}"))])
case(f, "StringNotEquals with a default value resolves", VARS, "allowed", caller=SESSION, identity=[pol(st(cond={"StringNotEquals": {"aws:PrincipalTag/team": "${aws:username, 'nobody'}"}}))], context=[("aws:PrincipalTag/team", "data", "string")])
case(f, "StringNotEquals with the variable resolved", VARS, "allowed", identity=[pol(st(cond={"StringNotEquals": {"aws:PrincipalTag/team": NOUSER}}))], context=[("aws:PrincipalTag/team", "data", "string")])

# --- role paths ---
f = "role-paths"
case(f, "NotPrincipal listing the role's path-qualified ARN spares its session", NOTP, "allowed", caller=SESSION, identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [SESSION, PATH_ROLE, ROOT_A]}, resource=TABLE_A)))
case(f, "aws:PrincipalArn keeps the role's path named in Principal", GLOBAL, "allowed", caller=SESSION, resource_policy=pol(st(principal={"AWS": PATH_ROLE}, resource=TABLE_A, cond={"ArnEquals": {"aws:PrincipalArn": PATH_ROLE}})))
case(f, "aws:PrincipalArn of a path-qualified role matches ArnLike on the path", GLOBAL, "allowed", caller=SESSION, resource_policy=pol(st(principal={"AWS": PATH_ROLE}, resource=TABLE_A, cond={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{A}:role/team/*"}})))
case(f, "aws:PrincipalArn given in the context keeps the path for NotPrincipal", NOTP, "allowed", caller=SESSION, identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [SESSION, PATH_ROLE, ROOT_A]}, resource=TABLE_A)), context=[("aws:PrincipalArn", PATH_ROLE, "string")])
case(f, "a role without a path is not under /team/", GLOBAL, "implicitDeny", caller=SESSION, identity=[pol(st(cond={"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{A}:role/team/*"}}))])
case(f, "NotPrincipal listing only the path-qualified role denies its session", NOTP, "explicitDeny", caller=SESSION, identity=[ALLOW], resource_policy=pol(st("Deny", notprincipal={"AWS": [PATH_ROLE]}, resource=TABLE_A)))

# --- wildcards per character, Unicode case folding, ARN segments ---
f = "wildcards"
cc2 = lambda label, op, values, ctx, expect: case(f, label, COND, expect, identity=[pol(st(cond={op: {"aws:PrincipalTag/team": values}}))], context=[("aws:PrincipalTag/team", ctx, "string")])
cc2("? matches one accented character", "StringLike", "caf?", "café", "allowed")
cc2("? matches a three-byte character", "StringLike", "?", "€", "allowed")
cc2("three ? do not match one three-byte character", "StringLike", "???", "€", "implicitDeny")
cc2("* then ? needs one whole character", "StringLike", "*??", "€", "implicitDeny")
cc2("StringNotLike per character", "StringNotLike", "caf?", "café", "implicitDeny")
cc2("IgnoreCase folds accented capitals", "StringEqualsIgnoreCase", "ÉQUIPE", "équipe", "allowed")
cc2("NotEqualsIgnoreCase folds accented capitals", "StringNotEqualsIgnoreCase", "ÉQUIPE", "équipe", "implicitDeny")
cc2("IgnoreCase folds Greek", "StringEqualsIgnoreCase", "ΟΜΑΔΑ", "ομαδα", "allowed")
cc2("case-sensitive StringEquals keeps accents apart", "StringEquals", "ÉQUIPE", "équipe", "implicitDeny")
case(f, "ForAnyValue IgnoreCase folds Unicode", MULTI, "allowed", identity=[pol(st(cond={"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": ["ÉTÉ"]}}))], context=[("aws:TagKeys", ["x", "été"], "stringList")])
case(f, "Resource ? matches one accented character", RES, "allowed", resources=[f"arn:aws:dynamodb:us-east-1:{A}:table/Café"], identity=[pol(st(resource=f"arn:aws:dynamodb:us-east-1:{A}:table/Caf?"))])
FN = f"arn:aws:lambda:us-east-1:{A}:function"
case(f, "Resource * inside a segment does not cross a colon", RES, "implicitDeny", actions=["lambda:InvokeFunction"], resources=[f"{FN}:a:b-fn"], identity=[pol(st(action="lambda:InvokeFunction", resource=f"{FN}:*-fn"))])
case(f, "Resource * at the end of a segment crosses colons", RES, "allowed", actions=["lambda:InvokeFunction"], resources=[f"{FN}:my-fn:prod"], identity=[pol(st(action="lambda:InvokeFunction", resource=f"{FN}:my*"))])
case(f, "Resource * before a colon crosses colons", RES, "allowed", actions=["lambda:InvokeFunction"], resources=[f"{FN}:my-fn:prod"], identity=[pol(st(action="lambda:InvokeFunction", resource=f"arn:aws:lambda:*:{A}:function:my-fn:prod"))])
case(f, "Resource * inside a segment matches within it", RES, "allowed", actions=["lambda:InvokeFunction"], resources=[f"{FN}:a-fn"], identity=[pol(st(action="lambda:InvokeFunction", resource=f"{FN}:*-fn"))])
case(f, "Resource * inside the region segment stays in it", RES, "implicitDeny", actions=["lambda:InvokeFunction"], resources=[f"arn:aws:lambda:us-east-1:{A}:function:x:us-1"], identity=[pol(st(action="lambda:InvokeFunction", resource=f"arn:aws:lambda:us-*-1:{A}:function:x"))])

# --- actions without resource-level permissions are authorized on * ---
f = "account-wide"
case(f, "ListTables is not granted by a table ARN", SAR, "implicitDeny", actions=["dynamodb:ListTables"], resources=["*"], identity=[pol(st(action="dynamodb:ListTables", resource=f"arn:aws:dynamodb:us-east-1:{A}:table/*"))])
case(f, "ListTables is granted by Resource *", SAR, "allowed", actions=["dynamodb:ListTables"], resources=["*"], identity=[pol(st(action="dynamodb:ListTables", resource="*"))])
case(f, "ListTables asked on a table ARN still needs Resource *", SAR, "implicitDeny", actions=["dynamodb:ListTables"], resources=[TABLE_A], identity=[pol(st(action="dynamodb:ListTables", resource=TABLE_A))])
case(f, "sts:GetCallerIdentity needs Resource *", SAR, "implicitDeny", actions=["sts:GetCallerIdentity"], resources=["*"], identity=[pol(st(action="sts:GetCallerIdentity", resource=f"arn:aws:iam::{A}:user/*"))])
case(f, "s3:ListAllMyBuckets with Resource *", SAR, "allowed", actions=["s3:ListAllMyBuckets"], resources=["*"], identity=[pol(st(action="s3:ListAllMyBuckets", resource="*"))])
case(f, "NotResource of a table still covers an account-wide action", SAR, "allowed", actions=["dynamodb:ListTables"], resources=["*"], identity=[pol(st(action="dynamodb:ListTables", notresource=TABLE_A))])

# --- session policies are for sessions ---
f = "session-policies"
case(f, "a session policy for an IAM user is an input error", SESSDOC, None, session=[ALLOW], identity=[ALLOW], errors=[{"contains": "applies to sessions only", "at": "/SessionPolicyInputList"}])
case(f, "a session policy for the root user is an input error", SESSDOC, None, caller=ROOT_A, session=[ALLOW], errors=[{"contains": "the root user", "at": "/SessionPolicyInputList"}])
case(f, "a session policy for a role session limits it", SESSDOC, "allowed", caller=SESSION, session=[ALLOW], identity=[ALLOW])
case(f, "an IAM user without session policies", SESSDOC, "allowed", identity=[ALLOW])

# --- validation: Access Analyzer's ValidatePolicy rejects these; so does Trustflow, with the position ---
f = "validation"
def invalid(name, doc, errors, **kw):
    case(f, name, doc, None, errors=errors, **kw)
invalid("a group is no principal", PRIN, [{"contains": "is a group", "at": "/ResourcePolicy/Statement/0/Principal/AWS"}], resource_policy=pol(st(principal={"AWS": f"arn:aws:iam::{A}:group/Admins"}, resource=TABLE_A)))
invalid("NotPrincipal in a trust policy", NOTP, [{"contains": "not allowed in a role trust policy", "at": "/ResourcePolicy/Statement/0/NotPrincipal"}], actions=["sts:AssumeRole"], resources=[ROLE_A_TARGET], resource_policy=pol(st("Deny", action="sts:AssumeRole", notprincipal={"AWS": USER}, noresource=True), st(action="sts:AssumeRole", principal={"AWS": USER}, noresource=True)))
invalid("a wildcard service segment in Resource", RES, [{"contains": "wildcard in its service segment", "at": "/PolicyInputList/0/Statement/0/Resource"}], identity=[pol(st(resource=f"arn:aws:*:us-east-1:{A}:table/Orders"))])
invalid("a partial wildcard service segment in Resource", RES, [{"contains": "wildcard in its service segment", "at": "/PolicyInputList/0/Statement/0/Resource"}], identity=[pol(st(resource=f"arn:aws:dynamo*:us-east-1:{A}:table/Orders"))])
invalid("an empty AWS principal list", PRIN, [{"contains": "empty list", "at": "/ResourcePolicy/Statement/0/Principal/AWS"}], resource_policy=pol(st(principal={"AWS": []}, resource=TABLE_A)))
invalid("an empty condition value list", COND, [{"contains": "empty list of values", "at": "/PolicyInputList/0/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team"}], identity=[pol(st(cond={"StringEquals": {"aws:PrincipalTag/team": []}}))])
for bad in ("nan", "NaN", "infinity", "-Infinity", "0x10", "1e", "1,000"):
    invalid(f"numeric value {bad}", COND, [{"contains": "needs a decimal number", "at": "/PolicyInputList/0/Statement/0/Condition/NumericLessThan/dynamodb:Limit"}], identity=[pol(st(cond={"NumericLessThan": {"dynamodb:Limit": bad}}))])
for bad in ("2026-02-31", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10"):
    invalid(f"impossible date {bad}", COND, [{"contains": "needs an ISO 8601 date that exists", "at": "/PolicyInputList/0/Statement/0/Condition/DateLessThan/aws:CurrentTime"}], identity=[pol(st(cond={"DateLessThan": {"aws:CurrentTime": bad}}))])
case(f, "a leap day is a date", COND, "allowed", identity=[pol(st(cond={"DateLessThan": {"aws:CurrentTime": "2028-02-29"}}))])
case(f, "Bool with a policy variable is valid", COND, "allowed", identity=[pol(st(cond={"Bool": {"aws:SecureTransport": "${aws:SecureTransport}"}}))])
case(f, "Bool with a policy variable compares the filled value", COND, "implicitDeny", identity=[pol(st(cond={"Bool": {"aws:SecureTransport": "${aws:ViaAWSService}"}}))])
case(f, "a decimal with a fraction is a number", COND, "allowed", identity=[pol(st(cond={"NumericLessThan": {"dynamodb:Limit": "10.5"}}))], context=[("dynamodb:Limit", "10", "numeric")])
invalid("an unknown action in a policy, with a did-you-mean", SAR, [{"contains": "did you mean 'dynamodb:GetItem'?", "at": "/PolicyInputList/0/Statement/0/Action"}], identity=[pol(st(action="dynamodb:GetItems"))])
invalid("an unknown service prefix", SAR, [{"contains": "names no AWS service", "at": "/PolicyInputList/0/Statement/0/Action"}], identity=[pol(st(action="dynamodbb:GetItem"))])
invalid("an unknown action asked for", SAR, [{"contains": "did you mean 'dynamodb:GetItem'?", "at": "/ActionNames/0"}], actions=["dynamodb:GetItems"], identity=[ALLOW])
invalid("aws:PrincipalArn of another role than the caller's", GLOBAL, [{"contains": "is not the ARN of role App", "at": "/ContextEntries"}], caller=SESSION, identity=[ALLOW], context=[("aws:PrincipalArn", f"arn:aws:iam::{A}:role/Other", "string")])
case(f, "an action glob that matches nothing is a warning, not an error", SAR, "implicitDeny", identity=[pol(st(action="dynamodb:Gett*"))], warnings=[{"contains": "matches no dynamodb action", "at": "/PolicyInputList/0/Statement/0/Action"}])

# --- findings: the analyzer on one policy (like Access Analyzer's policy checks) ---
def finding(file, name, doc, policy, codes, kind="identity", limit=None, text=None):
    c = {"name": name, "doc": doc, "url": url_of(doc), "kind": kind, "findings": sorted(codes)}
    if text is not None:
        c["policyText"] = text
    else:
        c["policy"] = policy
    if limit: c["limit"] = limit
    files.setdefault(file, []).append(c)

f = "findings"
BUCKET = "arn:aws:s3:::orders-bucket"
finding(f, "ListTables on a table ARN acts on nothing", SAR, pol(st(action="dynamodb:ListTables", resource=TABLE_A)), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "ListTables next to GetItem on a table ARN", SAR, pol(st(action=["dynamodb:GetItem", "dynamodb:ListTables"], resource=TABLE_A)), ["TF-WRN-001"])
finding(f, "ListTables with Resource *", SAR, pol(st(action="dynamodb:ListTables", resource="*")), [])
finding(f, "s3:GetObject on a bucket ARN", SAR, pol(st(action="s3:GetObject", resource=BUCKET)), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "s3:GetObject on the bucket's objects", SAR, pol(st(action="s3:GetObject", resource=BUCKET + "/*")), [])
finding(f, "s3:ListBucket on objects", SAR, pol(st(action="s3:ListBucket", resource=BUCKET + "/*")), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "s3:ListBucket and GetObject on bucket and objects", SAR, pol(st(action=["s3:ListBucket", "s3:GetObject"], resource=[BUCKET, BUCKET + "/*"])), [])
finding(f, "kms:Decrypt on a table ARN", SAR, pol(st(action="kms:Decrypt", resource=TABLE_A)), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "kms:Decrypt on a key ARN", SAR, pol(st(action="kms:Decrypt", resource=KEY_A)), [])
finding(f, "dynamodb:Query on an index ARN", SAR, pol(st(action="dynamodb:Query", resource=TABLE_A + "/index/*")), [])
finding(f, "dynamodb:GetRecords on a table ARN (streams only)", SAR, pol(st(action="dynamodb:GetRecords", resource=TABLE_A)), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "sqs:SendMessage on a queue", SAR, pol(st(action="sqs:SendMessage", resource=f"arn:aws:sqs:us-east-1:{A}:orders")), [])
finding(f, "sqs:SendMessage on a topic", SAR, pol(st(action="sqs:SendMessage", resource=f"arn:aws:sns:us-east-1:{A}:orders")), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "a wildcard action: only when none of its actions apply", SAR, pol(st(action="dynamodb:Get*", resource=TABLE_A)), [])
finding(f, "iam:PassRole on a role", SAR, pol(st(action="iam:PassRole", resource=ROLE)), [])
finding(f, "iam:PassRole on a user", SAR, pol(st(action="iam:PassRole", resource=USER)), ["TF-ERR-005", "TF-WRN-001"])
finding(f, "a Resource with a variable matching the type", SAR, pol(st(action="s3:GetObject", resource=BUCKET + "/${aws:username}/*")), [])
finding(f, "unknown action", SAR, pol(st(action="dynamodb:GetItems", resource=TABLE_A)), ["TF-ERR-001"])
finding(f, "unknown service", SAR, pol(st(action="dynamodbb:GetItem", resource=TABLE_A)), ["TF-ERR-001"])
finding(f, "action glob matching nothing", SAR, pol(st(action="s3:GetObjekt*", resource=BUCKET + "/*")), ["TF-WRN-003"])
finding(f, "condition key of the action", SAR, pol(st(action="dynamodb:GetItem", resource=TABLE_A, cond={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:userid}"]}})), [])
finding(f, "condition key the action does not support", SAR, pol(st(action="dynamodb:ListTables", resource="*", cond={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["x"]}})), ["TF-WRN-002"])
finding(f, "condition key of another service", SAR, pol(st(action="dynamodb:GetItem", resource=TABLE_A, cond={"StringLike": {"s3:prefix": "home/*"}})), ["TF-WRN-002"])
finding(f, "condition key no service defines", SAR, pol(st(action="dynamodb:GetItem", resource=TABLE_A, cond={"StringEquals": {"dynamodb:LeadingKey": "x"}})), ["TF-WRN-002"])
finding(f, "global condition keys are always fine", GLOBAL, pol(st(action="dynamodb:GetItem", resource=TABLE_A, cond={"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:PrincipalOrgID": "o-1", "aws:RequestedRegion": "us-east-1"}})), [])
finding(f, "aws:ResourceTag on an action whose resource has tags", SAR, pol(st(action="dynamodb:GetItem", resource=TABLE_A, cond={"StringEquals": {"aws:ResourceTag/team": "data"}})), [])
finding(f, "aws:RequestTag on an action that takes no tags", SAR, pol(st(action="dynamodb:GetItem", resource=TABLE_A, cond={"StringEquals": {"aws:RequestTag/team": "data"}})), ["TF-WRN-002"])
finding(f, "s3:prefix on s3:ListBucket", SAR, pol(st(action="s3:ListBucket", resource=BUCKET, cond={"StringLike": {"s3:prefix": "home/*"}})), [])
finding(f, "kms:ViaService on kms:Decrypt", KMSDOC, pol(st(action="kms:Decrypt", resource=KEY_A, cond={"StringEquals": {"kms:ViaService": "dynamodb.us-east-1.amazonaws.com"}})), [])
finding(f, "write action on every resource", SAR, pol(st(action="dynamodb:PutItem", resource="*")), ["TF-SEC-003"])
finding(f, "tagging on every resource is a write", SAR, pol(st(action="dynamodb:TagResource", resource="*")), ["TF-SEC-003"])
finding(f, "read on every resource is no warning", SAR, pol(st(action="dynamodb:GetItem", resource="*")), [])
finding(f, "no Version with a variable: the variable is literal", VERSION, nover(st(action="s3:GetObject", resource=BUCKET + "/${aws:username}/*")), ["TF-WRN-004"])
finding(f, "Version 2008-10-17 with a variable", VERSION, nover(st(action="s3:GetObject", resource=BUCKET + "/${aws:username}/*"), version="2008-10-17"), ["TF-WRN-004"])
finding(f, "no Version without variables", VERSION, nover(st(action="s3:GetObject", resource=BUCKET + "/*")), ["TF-SUG-001"])

def padded(kind_statement, size, whitespace):
    # One statement whose Sid pads the policy to `size` characters (white space counted or not).
    base = pol(kind_statement)
    text = json.dumps(base, indent=2 if whitespace else None, separators=None if whitespace else (",", ":"))
    return text
def sized(limit, chars, stmt_fn, kind, countws):
    # Grows a Condition value until the policy reaches `chars` characters as AWS counts them.
    filler = 1
    while True:
        p = pol(stmt_fn("x" * filler))
        text = json.dumps(p, indent=2)
        size = len(text) if countws else len(json.dumps(p, separators=(",", ":")))
        if size >= chars:
            return p, text, size
        filler += max(1, chars - size)
def limit_cases(doc, limit, chars, stmt_fn, kind, countws):
    for over, codes in ((0, []), (1, ["TF-ERR-006"])):
        target = chars + over
        p, text, size = sized(limit, target, stmt_fn, kind, countws)
        assert size == target, (limit, size, target)
        finding(f, f"{limit}: {size} characters", doc, None, codes, kind=kind, limit=limit, text=text)
TRUST_STMT = lambda pad: st(action="sts:AssumeRole", principal={"AWS": ROLE}, noresource=True, cond={"StringEquals": {"sts:ExternalId": pad}})
IDENT_STMT = lambda pad: st(action="dynamodb:GetItem", resource=TABLE_A, cond={"StringEquals": {"aws:PrincipalTag/team": pad}})
RES_STMT = lambda pad: st(action="dynamodb:GetItem", principal={"AWS": ROLE}, resource=TABLE_A, cond={"StringEquals": {"aws:PrincipalTag/team": pad}})
limit_cases(QUOTAS, "inlineRolePolicy", 10240, IDENT_STMT, "identity", False)
limit_cases(QUOTAS, "managedPolicy", 6144, IDENT_STMT, "boundary", False)
limit_cases(QUOTAS, "trustPolicy", 2048, TRUST_STMT, "trust", False)
limit_cases(ORGQ, "serviceControlPolicy", 5120, IDENT_STMT, "scp", True)
limit_cases(DDBQ, "dynamoDBResourcePolicy", 20480, RES_STMT, "resource", True)

# --- the rules of each kind of resource, as its service's guide states them (issue #11) ---
# Service principals carry no identity policies; the context keys a service sets (aws:SourceArn, aws:SourceAccount,
# kms:CallerAccount, kms:ViaService, …) are given as simulate-principal-policy takes them, in ContextEntries.
def req(caller, actions, resources, identity=(), resource_policy=None, context=()):
    return {"caller": caller, "actions": actions, "resources": resources, "identity": identity,
            "resource_policy": resource_policy, "context": [(k, v, "string") for (k, v) in context]}

def svc(file, name, doc, request, expect):
    case(file, name, doc, expect, **request)

SQS_EXAMPLES = "Amazon SQS Developer Guide: Basic examples of Amazon SQS policies"
SQS_LIMITS = "Amazon SQS Developer Guide: Limitations of Amazon SQS custom policies"
SQS_USING = "Amazon SQS Developer Guide: Using policies with Amazon SQS"
SNS_USE_CASES = "Amazon SNS Developer Guide: Example cases for Amazon SNS access control"
S3_DESTINATIONS = "Amazon S3 User Guide: Granting permissions to publish event notification messages to a destination"
EB_RESOURCE_BASED = "Amazon EventBridge User Guide: Using resource-based policies for Amazon EventBridge"
EB_PERMS = "Amazon EventBridge User Guide: Permissions for event buses in Amazon EventBridge"
EB_DEFAULT_BUS = "Amazon EventBridge User Guide: Example policy: Send events to the default bus in a different account in Amazon EventBridge"
SM_CROSS = "AWS Secrets Manager User Guide: Access AWS Secrets Manager secrets from a different account"
SM_EXAMPLES = "AWS Secrets Manager User Guide: Permissions policy examples for AWS Secrets Manager"
SAR_SM = "Service Authorization Reference: Actions, resources, and condition keys for AWS Secrets Manager"
LAMBDA_CROSS = "AWS Lambda Developer Guide: Granting Lambda function access to other accounts"
LAMBDA_SERVICES = "AWS Lambda Developer Guide: Granting Lambda function access to AWS services"
LAMBDA_ALIASES = "AWS Lambda Developer Guide: Using Lambda aliases in event sources and permissions policies"
SFN_LAMBDA = "AWS Step Functions Developer Guide: Invoke an AWS Lambda function with Step Functions"
KMS_CONDITIONS = "AWS KMS Developer Guide: AWS KMS condition keys"
SQSG = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/"
EBG = "https://docs.aws.amazon.com/eventbridge/latest/userguide/"
SMG = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/"
LG = "https://docs.aws.amazon.com/lambda/latest/dg/"
URLS.update({
    SQS_EXAMPLES: SQSG + "sqs-customer-managed-policy-examples.html",
    SQS_LIMITS: SQSG + "sqs-limitations-of-custom-policies.html",
    SQS_USING: SQSG + "sqs-using-identity-based-policies.html",
    SNS_USE_CASES: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
    S3_DESTINATIONS: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html",
    EB_RESOURCE_BASED: EBG + "eb-use-resource-based.html",
    EB_PERMS: EBG + "eb-event-bus-perms.html",
    EB_DEFAULT_BUS: EBG + "eb-event-bus-example-policy-cross-account.html",
    SM_CROSS: SMG + "auth-and-access_examples_cross.html",
    SM_EXAMPLES: SMG + "auth-and-access_examples.html",
    SAR_SM: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html",
    LAMBDA_CROSS: LG + "permissions-function-cross-account.html",
    LAMBDA_SERVICES: LG + "permissions-function-services.html",
    LAMBDA_ALIASES: LG + "using-aliases.html",
    SFN_LAMBDA: "https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html",
    KMS_CONDITIONS: "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
})

f = "sqs"
QUEUE = "arn:aws:sqs:us-east-2:444455556666:queue1"
TOPIC = "arn:aws:sns:us-east-2:444455556666:MyTopic"
SENDER = "arn:aws:sts::111122223333:assumed-role/Sender/s1"
BOB = "arn:aws:iam::444455556666:user/Bob"

send_identity = pol({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": QUEUE})
account_grant = pol({
    "Sid": "Queue1_SendMessage", "Effect": "Allow", "Principal": {"AWS": ["111122223333"]},
    "Action": "sqs:SendMessage", "Resource": QUEUE})
sns_grant = pol({
    "Sid": "Allow-SNS-SendMessage", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
    "Action": ["sqs:SendMessage"], "Resource": QUEUE,
    "Condition": {"ArnEquals": {"aws:SourceArn": TOPIC}}})
s3_grant = pol({
    "Sid": "example-statement-ID", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
    "Action": ["SQS:SendMessage"], "Resource": QUEUE,
    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:*:amzn-s3-demo-bucket"},
                  "StringEquals": {"aws:SourceAccount": "444455556666"}}})
bob_send = pol({"Effect": "Allow", "Principal": {"AWS": BOB}, "Action": "sqs:SendMessage", "Resource": QUEUE})
bob_receive = pol({"Effect": "Allow", "Action": "sqs:ReceiveMessage", "Resource": QUEUE})

svc(f, "queue policy grants another account SendMessage; its role's identity policy allows it too", SQS_EXAMPLES,
    req(SENDER, ["sqs:SendMessage"], [QUEUE], identity=[send_identity], resource_policy=account_grant),
    ["allowed"])
svc(f, "the queue policy alone does not let another account's role send", CROSS,
    req(SENDER, ["sqs:SendMessage"], [QUEUE], resource_policy=account_grant),
    ["implicitDeny"])
svc(f, "an identity policy alone does not reach another account's queue", CROSS,
    req(SENDER, ["sqs:SendMessage"], [QUEUE], identity=[send_identity]),
    ["implicitDeny"])
svc(f, "queue policy granting one account does not cover a third account", SQS_EXAMPLES,
    req("arn:aws:sts::777788889999:assumed-role/Sender/s1", ["sqs:SendMessage"], [QUEUE],
        identity=[send_identity], resource_policy=account_grant),
    ["implicitDeny"])
svc(f, "a queue policy granting sqs:* to another account's role shares messaging, not queue management", SQS_LIMITS,
    req("arn:aws:sts::111122223333:assumed-role/role1/s1",
        ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:SetQueueAttributes", "sqs:DeleteQueue", "sqs:AddPermission"],
        ["arn:aws:sqs:us-east-2:123456789012:queue1"],
        identity=[pol({"Effect": "Allow", "Action": "sqs:*", "Resource": "*"})],
        resource_policy={"Id": "Queue1_Policy_UUID", **pol({
            "Sid": "Queue1_AllActions", "Effect": "Allow",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:role/role1", "arn:aws:iam::111122223333:user/username1"]},
            "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-2:123456789012:queue1"})}),
    ["allowed", "allowed", "implicitDeny", "implicitDeny", "implicitDeny"])
svc(f, "same account: the queue policy allows one action, the IAM policy another", SQS_USING,
    req(BOB, ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"], [QUEUE],
        identity=[bob_receive], resource_policy=bob_send),
    ["allowed", "allowed", "implicitDeny"])
svc(f, "same account: an IAM policy alone allows, with no queue policy", SQS_USING,
    req(BOB, ["sqs:ReceiveMessage"], [QUEUE], identity=[bob_receive]),
    ["allowed"])
svc(f, "same account: a Deny in the queue policy overrides both allows", SQS_USING,
    req(BOB, ["sqs:SendMessage", "sqs:ReceiveMessage"], [QUEUE], identity=[bob_receive],
        resource_policy=pol(
            {"Effect": "Allow", "Principal": {"AWS": BOB}, "Action": "sqs:SendMessage", "Resource": QUEUE},
            {"Effect": "Deny", "Principal": {"AWS": BOB}, "Action": "sqs:*", "Resource": QUEUE})),
    ["explicitDeny", "explicitDeny"])
svc(f, "Amazon SNS sends from the topic the queue policy names", SNS_USE_CASES,
    req("sns.amazonaws.com", ["sqs:SendMessage"], [QUEUE], resource_policy=sns_grant,
        context=[("aws:SourceArn", TOPIC)]),
    ["allowed"])
svc(f, "Amazon SNS sending for another topic is refused", SNS_USE_CASES,
    req("sns.amazonaws.com", ["sqs:SendMessage"], [QUEUE], resource_policy=sns_grant,
        context=[("aws:SourceArn", "arn:aws:sns:us-east-2:999988887777:MyTopic")]),
    ["implicitDeny"])
svc(f, "Amazon SNS without aws:SourceArn in the request does not match the ArnEquals condition", GLOBAL,
    req("sns.amazonaws.com", ["sqs:SendMessage"], [QUEUE], resource_policy=sns_grant),
    ["implicitDeny"])
svc(f, "Amazon S3 sends for the named bucket of the bucket owner's account", S3_DESTINATIONS,
    req("s3.amazonaws.com", ["sqs:SendMessage"], [QUEUE], resource_policy=s3_grant,
        context=[("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket"), ("aws:SourceAccount", "444455556666")]),
    ["allowed"])
svc(f, "Amazon S3 sending for a bucket of that name in another account is refused by aws:SourceAccount", S3_DESTINATIONS,
    req("s3.amazonaws.com", ["sqs:SendMessage"], [QUEUE], resource_policy=s3_grant,
        context=[("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket"), ("aws:SourceAccount", "999988887777")]),
    ["implicitDeny"])


f = "sns"
TOPIC = "arn:aws:sns:us-east-2:444455556666:MyTopic"
PUBLISHER = "arn:aws:iam::111122223333:user/Publisher"
ORG = "o-a1b2c3d4e5"

publish_identity = pol({"Effect": "Allow", "Action": "sns:Publish", "Resource": TOPIC})
add_permission_grant = pol({
    "Sid": "grant-1234-publish", "Effect": "Allow", "Principal": {"AWS": "111122223333"},
    "Action": ["sns:Publish"], "Resource": TOPIC})
org_grant = pol({
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "SNS:Publish", "Resource": TOPIC,
    "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}})
s3_grant = pol({
    "Sid": "Example SNS topic policy", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
    "Action": ["SNS:Publish"], "Resource": TOPIC,
    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:*:amzn-s3-demo-bucket"},
                  "StringEquals": {"aws:SourceAccount": "111122223333"}}})
events_grant = pol({
    "Sid": "PublishEventsToMyTopic", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
    "Action": "sns:Publish", "Resource": TOPIC})
vpce_policy = pol(
    {"Sid": "grant-1234-publish", "Effect": "Allow", "Principal": {"AWS": "111122223333"},
     "Action": ["sns:Publish"], "Resource": TOPIC},
    {"Effect": "Deny", "Principal": "*", "Action": "SNS:Publish", "Resource": TOPIC,
     "Condition": {"StringNotEquals": {"aws:sourceVpce": "vpce-1ab2c34d"}}})

svc(f, "AddPermission's statement lets the other account publish when its identity policy allows", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], identity=[publish_identity], resource_policy=add_permission_grant),
    ["allowed"])
svc(f, "the topic policy alone does not let another account's user publish", CROSS,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], resource_policy=add_permission_grant),
    ["implicitDeny"])
svc(f, "a third account is not covered by the account's grant", SNS_USE_CASES,
    req("arn:aws:iam::777788889999:user/Publisher", ["sns:Publish"], [TOPIC], identity=[publish_identity],
        resource_policy=add_permission_grant),
    ["implicitDeny"])
svc(f, "the grant is for Publish only: Subscribe is refused", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish", "sns:Subscribe"], [TOPIC],
        identity=[pol({"Effect": "Allow", "Action": ["sns:Publish", "sns:Subscribe"], "Resource": TOPIC})],
        resource_policy=add_permission_grant),
    ["allowed", "implicitDeny"])
svc(f, "accounts of the organization may publish to a topic of another account", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], identity=[publish_identity], resource_policy=org_grant,
        context=[("aws:PrincipalOrgID", ORG)]),
    ["allowed"])
svc(f, "an account of another organization may not", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], identity=[publish_identity], resource_policy=org_grant,
        context=[("aws:PrincipalOrgID", "o-f6g7h8i9j0")]),
    ["implicitDeny"])
svc(f, "Amazon S3 publishes for the bucket and bucket owner the topic policy names", S3_DESTINATIONS,
    req("s3.amazonaws.com", ["sns:Publish"], [TOPIC], resource_policy=s3_grant,
        context=[("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket"), ("aws:SourceAccount", "111122223333")]),
    ["allowed"])
svc(f, "a bucket of the same name owned by another account cannot publish", S3_DESTINATIONS,
    req("s3.amazonaws.com", ["sns:Publish"], [TOPIC], resource_policy=s3_grant,
        context=[("aws:SourceArn", "arn:aws:s3:::amzn-s3-demo-bucket"), ("aws:SourceAccount", "999988887777")]),
    ["implicitDeny"])
svc(f, "Amazon S3 publishing for another bucket is refused", S3_DESTINATIONS,
    req("s3.amazonaws.com", ["sns:Publish"], [TOPIC], resource_policy=s3_grant,
        context=[("aws:SourceArn", "arn:aws:s3:::other-bucket"), ("aws:SourceAccount", "111122223333")]),
    ["implicitDeny"])
svc(f, "EventBridge publishes through a statement naming its service principal", EB_RESOURCE_BASED,
    req("events.amazonaws.com", ["sns:Publish"], [TOPIC], resource_policy=events_grant),
    ["allowed"])
svc(f, "publishing through the named VPC endpoint is allowed", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], identity=[publish_identity], resource_policy=vpce_policy,
        context=[("aws:SourceVpce", "vpce-1ab2c34d")]),
    ["allowed"])
svc(f, "publishing from another VPC endpoint is denied", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], identity=[publish_identity], resource_policy=vpce_policy,
        context=[("aws:SourceVpce", "vpce-0000000000")]),
    ["explicitDeny"])
svc(f, "publishing outside any VPC endpoint is denied too: StringNotEquals matches when the key is absent", SNS_USE_CASES,
    req(PUBLISHER, ["sns:Publish"], [TOPIC], identity=[publish_identity], resource_policy=vpce_policy),
    ["explicitDeny"])


f = "secretsmanager"
# Account1 (111122223333) owns the secret; ApplicationRole is in Account2 (444455556666).
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:MySecret-a1b2c3"
APP_ROLE = "arn:aws:iam::444455556666:role/ApplicationRole"
APP_SESSION = "arn:aws:sts::444455556666:assumed-role/ApplicationRole/app"
EC2_SESSION = "arn:aws:sts::111122223333:assumed-role/EC2RoleToAccessSecrets/i-0abc"

cross_resource = pol({"Effect": "Allow", "Principal": {"AWS": APP_ROLE},
                      "Action": "secretsmanager:GetSecretValue", "Resource": "*"})
cross_identity = pol(
    {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": SECRET},
    {"Effect": "Allow", "Action": "kms:Decrypt",
     "Resource": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"})
read_one = pol({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": SECRET})


def name_pattern(pattern):
    return pol({"Effect": "Allow", "Action": "secretsmanager:*",
                "Resource": ["arn:aws:secretsmanager:us-east-1:111122223333:secret:" + pattern]})


vpce_deny = {"Id": "example-policy-1", **pol(
    {"Sid": "RestrictGetSecretValueoperation", "Effect": "Deny", "Principal": "*",
     "Action": "secretsmanager:GetSecretValue", "Resource": "*",
     "Condition": {"StringNotEquals": {"aws:sourceVpce": "vpce-1234a5678b9012c"}}})}
stage_identity = pol({"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": SECRET,
                      "Condition": {"StringEquals": {"secretsmanager:VersionStage": "AWSCURRENT"}}})

svc(f, "another account's role reads the secret: resource policy and identity policy both allow", SM_CROSS,
    req(APP_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[cross_identity],
        resource_policy=cross_resource),
    ["allowed"])
svc(f, "cross-account: the secret's resource policy alone is not enough", SM_CROSS,
    req(APP_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], resource_policy=cross_resource),
    ["implicitDeny"])
svc(f, "cross-account: the identity policy alone is not enough", SM_CROSS,
    req(APP_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[cross_identity]),
    ["implicitDeny"])
svc(f, "cross-account: another role of Account2 is not the one the resource policy names", SM_CROSS,
    req("arn:aws:sts::444455556666:assumed-role/OtherRole/app", ["secretsmanager:GetSecretValue"], [SECRET],
        identity=[cross_identity], resource_policy=cross_resource),
    ["implicitDeny"])
svc(f, "same account: a resource policy with Resource * (this secret) naming the role is enough", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"], [SECRET],
        resource_policy=pol({"Effect": "Allow",
                                "Principal": {"AWS": "arn:aws:iam::111122223333:role/EC2RoleToAccessSecrets"},
                                "Action": "secretsmanager:GetSecretValue", "Resource": "*"})),
    ["allowed"])
svc(f, "same account: an identity policy naming the secret ARN is enough", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[read_one]),
    ["allowed"])
svc(f, "name-?????? matches the six random characters Secrets Manager appends", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"],
        ["arn:aws:secretsmanager:us-east-1:111122223333:secret:another_secret_name-a1b2c3"],
        identity=[name_pattern("another_secret_name-??????")]),
    ["allowed"])
svc(f, "name-?????? does not match a longer name that ends in six characters", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"],
        ["arn:aws:secretsmanager:us-east-1:111122223333:secret:another_secret_name-extra-a1b2c3"],
        identity=[name_pattern("another_secret_name-??????")]),
    ["implicitDeny"])
svc(f, "name-* matches that longer name too, which is why the guide prefers ??????", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"],
        ["arn:aws:secretsmanager:us-east-1:111122223333:secret:another_secret_name-extra-a1b2c3"],
        identity=[name_pattern("another_secret_name-*")]),
    ["allowed"])
svc(f, "a resource policy Deny outside the VPC endpoint wins over the identity policy", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[read_one],
        resource_policy=vpce_deny),
    ["explicitDeny"])
svc(f, "through the VPC endpoint the Deny does not apply", SM_EXAMPLES,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[read_one],
        resource_policy=vpce_deny, context=[("aws:SourceVpce", "vpce-1234a5678b9012c")]),
    ["allowed"])
svc(f, "secretsmanager:VersionStage limits reads to the AWSCURRENT version", SAR_SM,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[stage_identity],
        context=[("secretsmanager:VersionStage", "AWSCURRENT")]),
    ["allowed"])
svc(f, "secretsmanager:VersionStage: the AWSPREVIOUS version is refused", SAR_SM,
    req(EC2_SESSION, ["secretsmanager:GetSecretValue"], [SECRET], identity=[stage_identity],
        context=[("secretsmanager:VersionStage", "AWSPREVIOUS")]),
    ["implicitDeny"])


f = "lambda"
FUNCTION = "arn:aws:lambda:us-east-2:123456789012:function:my-function"
CALLER = "arn:aws:sts::111122223333:assumed-role/Invoker/s1"
HELLO = "arn:aws:lambda:us-east-2:123456789012:function:helloworld"
BUCKET = "arn:aws:s3:::amzn-s3-demo-bucket"
TOPIC = "arn:aws:sns:us-east-2:123456789012:my-topic"

invoke_identity = pol({"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FUNCTION})
xaccount = pol({"Sid": "xaccount", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": "lambda:InvokeFunction", "Resource": FUNCTION})
developer_only = pol({"Sid": "xaccount", "Effect": "Allow",
                      "Principal": {"AWS": "arn:aws:iam::111122223333:user/developer"},
                      "Action": "lambda:InvokeFunction", "Resource": FUNCTION})
s3_account = pol({"Sid": "s3-account", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                  "Action": "lambda:InvokeFunction", "Resource": FUNCTION,
                  "Condition": {"StringEquals": {"AWS:SourceAccount": "123456789012"},
                                "ArnLike": {"AWS:SourceArn": BUCKET}}})
sns_any_topic = pol({"Sid": "sns", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                     "Action": "lambda:InvokeFunction", "Resource": FUNCTION})
sns_my_topic = pol({"Sid": "sns-my-topic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "lambda:InvokeFunction", "Resource": FUNCTION,
                    "Condition": {"ArnLike": {"AWS:SourceArn": TOPIC}}})
prod_alias = pol({"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
                  "Action": "lambda:InvokeFunction", "Resource": HELLO + ":PROD",
                  "Condition": {"ArnLike": {"AWS:SourceArn": BUCKET}}})
s3_context = [("aws:SourceArn", BUCKET), ("aws:SourceAccount", "123456789012")]

svc(f, "another account invokes: the function policy names the account and the caller's identity policy allows", LAMBDA_CROSS,
    req(CALLER, ["lambda:InvokeFunction"], [FUNCTION], identity=[invoke_identity], resource_policy=xaccount),
    ["allowed"])
svc(f, "the function policy does not let the other account's users exceed their own permissions", LAMBDA_CROSS,
    req(CALLER, ["lambda:InvokeFunction"], [FUNCTION], resource_policy=xaccount),
    ["implicitDeny"])
svc(f, "a function policy naming one user of the other account does not cover another user", LAMBDA_CROSS,
    req("arn:aws:iam::111122223333:user/tester", ["lambda:InvokeFunction"], [FUNCTION],
        identity=[invoke_identity], resource_policy=developer_only),
    ["implicitDeny"])
svc(f, "Amazon S3 invokes for a bucket of the function's account", LAMBDA_SERVICES,
    req("s3.amazonaws.com", ["lambda:InvokeFunction"], [FUNCTION], resource_policy=s3_account, context=s3_context),
    ["allowed"])
svc(f, "a bucket of that name recreated by another account cannot invoke: its ARN has no account, aws:SourceAccount does", LAMBDA_SERVICES,
    req("s3.amazonaws.com", ["lambda:InvokeFunction"], [FUNCTION], resource_policy=s3_account,
        context=[("aws:SourceArn", BUCKET), ("aws:SourceAccount", "999988887777")]),
    ["implicitDeny"])
svc(f, "a statement for Amazon SNS without a source ARN lets any topic invoke", LAMBDA_SERVICES,
    req("sns.amazonaws.com", ["lambda:InvokeFunction"], [FUNCTION], resource_policy=sns_any_topic,
        context=[("aws:SourceArn", "arn:aws:sns:us-east-2:999988887777:any-topic")]),
    ["allowed"])
svc(f, "with a source ARN the named topic's subscription invokes", LAMBDA_SERVICES,
    req("sns.amazonaws.com", ["lambda:InvokeFunction"], [FUNCTION], resource_policy=sns_my_topic,
        context=[("aws:SourceArn", TOPIC)]),
    ["allowed"])
svc(f, "with a source ARN another topic's subscription may not invoke", LAMBDA_SERVICES,
    req("sns.amazonaws.com", ["lambda:InvokeFunction"], [FUNCTION], resource_policy=sns_my_topic,
        context=[("aws:SourceArn", "arn:aws:sns:us-east-2:123456789012:other-topic")]),
    ["implicitDeny"])
svc(f, "a permission on the PROD alias allows invoking through the alias ARN", LAMBDA_ALIASES,
    req("s3.amazonaws.com", ["lambda:InvokeFunction"], [HELLO + ":PROD"], resource_policy=prod_alias,
        context=[("aws:SourceArn", BUCKET)]),
    ["allowed"])
svc(f, "a permission on the PROD alias does not cover the unqualified function or the version it points to", LAMBDA_ALIASES,
    req("s3.amazonaws.com", ["lambda:InvokeFunction"], [HELLO, HELLO + ":1"], resource_policy=prod_alias,
        context=[("aws:SourceArn", BUCKET)]),
    ["implicitDeny", "implicitDeny"])
svc(f, "an identity policy on the unqualified ARN does not allow invoking a version or alias", SFN_LAMBDA,
    req("arn:aws:iam::123456789012:user/alice", ["lambda:InvokeFunction"], [FUNCTION + ":1", FUNCTION + ":prod"],
        identity=[invoke_identity]),
    ["implicitDeny", "implicitDeny"])
svc(f, "an identity policy on function:my-function:* allows any version or alias", SFN_LAMBDA,
    req("arn:aws:iam::123456789012:user/alice", ["lambda:InvokeFunction"], [FUNCTION + ":1", FUNCTION + ":prod"],
        identity=[pol({"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FUNCTION + ":*"})]),
    ["allowed", "allowed"])


f = "events"
DEFAULT_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/default"
CENTRAL_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/central-event-bus"
REGION_BUS = "arn:aws:events:us-east-1:123456789012:event-bus/CrossRegionBus"
SENDER = "arn:aws:sts::111122223333:assumed-role/EventSender/s1"
ORG = "o-a1b2c3d4e5"

put_identity = pol({"Effect": "Allow", "Action": "events:PutEvents", "Resource": "arn:aws:events:us-east-1:123456789012:event-bus/*"})
account_grant = pol({"Sid": "sid1", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                     "Action": "events:PutEvents", "Resource": DEFAULT_BUS})
org_grant = pol({"Sid": "allow_all_accounts_from_organization_to_put_events", "Effect": "Allow", "Principal": "*",
                 "Action": "events:PutEvents", "Resource": DEFAULT_BUS,
                 "Condition": {"StringEquals": {"aws:PrincipalOrgID": ORG}}})
web_store = pol({"Sid": "WebStoreCrossAccountPublish", "Effect": "Allow", "Action": ["events:PutEvents"],
                 "Principal": {"AWS": "111122223333"}, "Resource": CENTRAL_BUS,
                 "Condition": {"StringEquals": {"events:detail-type": "newOrderCreated",
                                                "events:source": "com.exampleCorp.webStore"}}})
deny_us_west_2 = pol(
    {"Sid": "1_allow_any_events_from_account_111122223333", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "events:PutEvents", "Resource": REGION_BUS},
    {"Sid": "2_deny-all-cross-region-us-west-2-events", "Effect": "Deny", "Principal": {"AWS": "*"},
     "Action": "events:PutEvents", "Resource": REGION_BUS,
     "Condition": {"ArnEquals": {"aws:SourceArn": ["arn:aws:events:us-west-2:*:*"]}}})

svc(f, "the bus policy grants the other account; its role's identity policy allows PutEvents", EB_DEFAULT_BUS,
    req(SENDER, ["events:PutEvents"], [DEFAULT_BUS], identity=[put_identity], resource_policy=account_grant),
    ["allowed"])
svc(f, "the bus policy alone does not let the other account's role put events", CROSS,
    req(SENDER, ["events:PutEvents"], [DEFAULT_BUS], resource_policy=account_grant),
    ["implicitDeny"])
svc(f, "without a bus policy another account cannot put events, whatever its identity policy says", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [DEFAULT_BUS], identity=[put_identity]),
    ["implicitDeny"])
svc(f, "a third account is not covered by the grant to one account", EB_DEFAULT_BUS,
    req("arn:aws:sts::777788889999:assumed-role/EventSender/s1", ["events:PutEvents"], [DEFAULT_BUS],
        identity=[put_identity], resource_policy=account_grant),
    ["implicitDeny"])
svc(f, "a grant on the default bus does not cover another bus of the account", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [CENTRAL_BUS], identity=[put_identity], resource_policy=account_grant),
    ["implicitDeny"])
svc(f, "Principal * with aws:PrincipalOrgID lets every account of the organization put events", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [DEFAULT_BUS], identity=[put_identity], resource_policy=org_grant,
        context=[("aws:PrincipalOrgID", ORG)]),
    ["allowed"])
svc(f, "an account of another organization is refused", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [DEFAULT_BUS], identity=[put_identity], resource_policy=org_grant,
        context=[("aws:PrincipalOrgID", "o-f6g7h8i9j0")]),
    ["implicitDeny"])
svc(f, "an account in no organization has no aws:PrincipalOrgID and is refused", GLOBAL,
    req(SENDER, ["events:PutEvents"], [DEFAULT_BUS], identity=[put_identity], resource_policy=org_grant),
    ["implicitDeny"])
svc(f, "events with the source and detail-type the custom bus policy names are accepted", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [CENTRAL_BUS], identity=[put_identity], resource_policy=web_store,
        context=[("events:source", "com.exampleCorp.webStore"), ("events:detail-type", "newOrderCreated")]),
    ["allowed"])
svc(f, "events from another source are refused by the custom bus policy", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [CENTRAL_BUS], identity=[put_identity], resource_policy=web_store,
        context=[("events:source", "com.exampleCorp.other"), ("events:detail-type", "newOrderCreated")]),
    ["implicitDeny"])
svc(f, "events from a rule in the denied Region are refused despite the account's grant", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [REGION_BUS], identity=[put_identity], resource_policy=deny_us_west_2,
        context=[("aws:SourceArn", "arn:aws:events:us-west-2:111122223333:rule/CrossRegionBus/SendToUSE1")]),
    ["explicitDeny"])
svc(f, "events from a rule in another Region are accepted", EB_PERMS,
    req(SENDER, ["events:PutEvents"], [REGION_BUS], identity=[put_identity], resource_policy=deny_us_west_2,
        context=[("aws:SourceArn", "arn:aws:events:me-south-1:111122223333:rule/CrossRegionBus/SendToUSE1")]),
    ["allowed"])


f = "kms"
KEY = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
EBS_ROLE = "arn:aws:sts::111122223333:assumed-role/VolumeAdmin/s1"
EXAMPLE_USER = "arn:aws:iam::111122223333:user/ExampleUser"

managed_ebs = pol({
    "Sid": "Allow access through EBS for all principals in the account that are authorized to use EBS",
    "Effect": "Allow", "Principal": {"AWS": "*"},
    "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333", "kms:ViaService": "ec2.us-west-2.amazonaws.com"}},
    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
    "Resource": "*"})
via_ec2_rds = pol({
    "Effect": "Allow", "Principal": {"AWS": EXAMPLE_USER},
    "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"],
    "Resource": "*",
    "Condition": {"StringEquals": {"kms:ViaService": ["ec2.us-west-2.amazonaws.com", "rds.us-west-2.amazonaws.com"]}}})
deny_lambda = pol(
    {"Effect": "Allow", "Principal": {"AWS": EXAMPLE_USER}, "Action": "kms:Encrypt", "Resource": "*"},
    {"Effect": "Deny", "Principal": {"AWS": EXAMPLE_USER}, "Action": ["kms:Encrypt"], "Resource": "*",
     "Condition": {"StringEquals": {"kms:ViaService": ["lambda.us-west-2.amazonaws.com"]}}})
decrypt_identity = pol({"Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY})

svc(f, "AWS managed key policy: a principal of the account using the key through the service", KMS_CONDITIONS,
    req(EBS_ROLE, ["kms:Decrypt"], [KEY], resource_policy=managed_ebs,
        context=[("kms:CallerAccount", "111122223333"), ("kms:ViaService", "ec2.us-west-2.amazonaws.com")]),
    ["allowed"])
svc(f, "AWS managed key policy: a caller from another account is refused even with an identity policy", KMS_CONDITIONS,
    req("arn:aws:sts::444455556666:assumed-role/VolumeAdmin/s1", ["kms:Decrypt"], [KEY],
        identity=[decrypt_identity], resource_policy=managed_ebs,
        context=[("kms:CallerAccount", "444455556666"), ("kms:ViaService", "ec2.us-west-2.amazonaws.com")]),
    ["implicitDeny"])
svc(f, "AWS managed key policy: calling AWS KMS directly, not through the service, is refused", KMS_CONDITIONS,
    req(EBS_ROLE, ["kms:Decrypt"], [KEY], identity=[decrypt_identity], resource_policy=managed_ebs,
        context=[("kms:CallerAccount", "111122223333")]),
    ["implicitDeny"])
svc(f, "kms:ViaService allows the key through one of the named services", KMS_CONDITIONS,
    req(EXAMPLE_USER, ["kms:Decrypt"], [KEY], resource_policy=via_ec2_rds,
        context=[("kms:ViaService", "rds.us-west-2.amazonaws.com")]),
    ["allowed"])
svc(f, "kms:ViaService refuses a service it does not name", KMS_CONDITIONS,
    req(EXAMPLE_USER, ["kms:Decrypt"], [KEY], resource_policy=via_ec2_rds,
        context=[("kms:ViaService", "lambda.us-west-2.amazonaws.com")]),
    ["implicitDeny"])
svc(f, "a kms:ViaService Deny refuses Encrypt through AWS Lambda", KMS_CONDITIONS,
    req(EXAMPLE_USER, ["kms:Encrypt"], [KEY], resource_policy=deny_lambda,
        context=[("kms:ViaService", "lambda.us-west-2.amazonaws.com")]),
    ["explicitDeny"])
svc(f, "the kms:ViaService Deny leaves a direct Encrypt allowed", KMS_CONDITIONS,
    req(EXAMPLE_USER, ["kms:Encrypt"], [KEY], resource_policy=deny_lambda),
    ["allowed"])
svc(f, "a key policy statement for the Amazon S3 service principal lets S3 use the key", S3_DESTINATIONS,
    req("s3.amazonaws.com", ["kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt"], [KEY],
        resource_policy=pol({"Sid": "example-statement-ID", "Effect": "Allow",
                                "Principal": {"Service": "s3.amazonaws.com"},
                                "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": "*"})),
    ["allowed", "allowed", "implicitDeny"])

here = os.path.join(os.path.dirname(__file__), "..", "Tests", "PolicyTests", "Corpus")
os.makedirs(here, exist_ok=True)
total = 0
for name, cases in files.items():
    total += len(cases)
    with open(os.path.join(here, name + ".json"), "w") as out:
        json.dump({"cases": cases}, out, indent=2)
        out.write("\n")
print(f"{total} cases in {len(files)} files")
