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
         boundary=None, session=(), scp=(), context=(), owner=None, message=None, missing=None):
    req = {"CallerArn": caller, "ActionNames": list(actions), "ResourceArns": list(resources)}
    if identity: req["PolicyInputList"] = list(identity)
    if resource_policy is not None: req["ResourcePolicy"] = resource_policy
    if boundary is not None: req["PermissionsBoundaryPolicyInputList"] = [boundary]
    if session: req["SessionPolicyInputList"] = list(session)
    if scp: req["ServiceControlPolicyInputList"] = list(scp)
    if owner: req["ResourceOwner"] = f"arn:aws:iam::{owner}:root"
    if context:
        req["ContextEntries"] = [{"ContextKeyName": k, "ContextKeyValues": v if isinstance(v, list) else [v], "ContextKeyType": t} for (k, v, t) in context]
    c = {"name": name, "doc": doc, "input": req, "expect": expect if isinstance(expect, list) else [expect]}
    if message: c["message"] = message
    if missing is not None: c["missingContextValues"] = missing
    files.setdefault(file, []).append(c)

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
    case(f, label, ACT, expect, actions=[action], identity=[pol(st(action=pattern))])
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

here = os.path.join(os.path.dirname(__file__), "..", "Tests", "PolicyTests", "Corpus")
os.makedirs(here, exist_ok=True)
total = 0
for name, cases in files.items():
    total += len(cases)
    with open(os.path.join(here, name + ".json"), "w") as out:
        json.dump({"cases": cases}, out, indent=2)
        out.write("\n")
print(f"{total} cases in {len(files)} files")
