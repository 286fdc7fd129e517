import Foundation

/// Credentials for a role assumed with an OIDC token: `AWS_WEB_IDENTITY_TOKEN_FILE` (read at each refresh, it
/// rotates), `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME` → `sts:AssumeRoleWithWebIdentity`, which is unsigned.
/// EKS (IRSA) and GitHub Actions set these.
public enum WebIdentityCredentials {
    public static func isConfigured(_ environment: [String: String]) -> Bool {
        nonEmpty(environment["AWS_WEB_IDENTITY_TOKEN_FILE"]) != nil && nonEmpty(environment["AWS_ROLE_ARN"]) != nil
    }

    /// A cached provider assuming `roleARN` with the token in `tokenFile`, through `sts` (its credentials are not used).
    public static func provider(sts: STS, tokenFile: String, roleARN: String, sessionName: String?) -> RefreshingCredentials {
        let clock = sts.configuration.clock
        return RefreshingCredentials(name: "web identity", clock: clock) {
            let token: String
            do {
                token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            } catch {
                throw AWSError(
                    kind: .missingCredentials, code: AWSError.Code.missingCredentials,
                    message: "cannot read the web identity token file \(tokenFile): \(error.localizedDescription)"
                )
            }
            let name = sessionName ?? defaultSessionName(clock())
            return try await sts.assumeRoleWithWebIdentity(roleARN: roleARN, sessionName: name, webIdentityToken: token).credentials
        }
    }

    /// From `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and (optionally) `AWS_ROLE_SESSION_NAME`.
    public static func provider(environment: [String: String], sts: STS) throws -> RefreshingCredentials {
        guard let file = nonEmpty(environment["AWS_WEB_IDENTITY_TOKEN_FILE"]), let role = nonEmpty(environment["AWS_ROLE_ARN"]) else {
            throw AWSError(
                kind: .missingCredentials, code: AWSError.Code.missingCredentials,
                message: "web identity needs AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN"
            )
        }
        return provider(sts: sts, tokenFile: file, roleARN: role, sessionName: nonEmpty(environment["AWS_ROLE_SESSION_NAME"]))
    }
}

/// `trustflow-<unix seconds>`, the session name when none is configured (botocore uses `botocore-session-<seconds>`).
func defaultSessionName(_ now: Date) -> String {
    "trustflow-\(Int(now.timeIntervalSince1970))"
}
