/// The actions of the services Trustflow models, so that a misspelt action is an error rather than a policy
/// that silently never matches (Service Authorization Reference: Amazon DynamoDB, AWS STS).
public enum ServiceCatalog {
    public static let actions: [String: [String]] = [
        "dynamodb": [
            "BatchExecuteStatement", "BatchGetItem", "BatchWriteItem", "ConditionCheckItem", "CreateBackup", "CreateGlobalTable",
            "CreateTable", "CreateTableReplica", "DeleteBackup", "DeleteItem", "DeleteResourcePolicy", "DeleteTable",
            "DeleteTableReplica", "DescribeBackup", "DescribeContinuousBackups", "DescribeContributorInsights",
            "DescribeEndpoints", "DescribeExport", "DescribeGlobalTable", "DescribeGlobalTableSettings", "DescribeImport",
            "DescribeKinesisStreamingDestination", "DescribeLimits", "DescribeReservedCapacity",
            "DescribeReservedCapacityOfferings", "DescribeStream", "DescribeTable", "DescribeTableReplicaAutoScaling",
            "DescribeTimeToLive", "DisableKinesisStreamingDestination", "EnableKinesisStreamingDestination",
            "ExecuteStatement", "ExecuteTransaction", "ExportTableToPointInTime", "GetAbacStatus", "GetItem", "GetRecords",
            "GetResourcePolicy", "GetShardIterator", "ImportTable", "ListBackups", "ListContributorInsights", "ListExports",
            "ListGlobalTables", "ListImports", "ListStreams", "ListTables", "ListTagsOfResource", "PartiQLDelete",
            "PartiQLInsert", "PartiQLSelect", "PartiQLUpdate", "PurchaseReservedCapacityOfferings", "PutItem",
            "PutResourcePolicy", "Query", "RestoreTableFromAwsBackup", "RestoreTableFromBackup", "RestoreTableToPointInTime",
            "Scan", "StartAwsBackupJob", "TagResource", "UntagResource", "UpdateAbacStatus", "UpdateContinuousBackups",
            "UpdateContributorInsights", "UpdateGlobalTable", "UpdateGlobalTableSettings", "UpdateGlobalTableVersion",
            "UpdateItem", "UpdateKinesisStreamingDestination", "UpdateTable", "UpdateTableReplicaAutoScaling",
            "UpdateTimeToLive",
        ],
        "sts": [
            "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "AssumeRoot", "DecodeAuthorizationMessage",
            "GetAccessKeyInfo", "GetCallerIdentity", "GetFederationToken", "GetServiceBearerToken", "GetSessionToken",
            "SetContext", "SetSourceIdentity", "TagSession",
        ],
    ]

    /// Actions that only read (the rest write or manage): `Resource: "*"` with these is no warning.
    public static func isReadOnly(service: String, action: String) -> Bool {
        let name = action.lowercased()
        return ["get", "describe", "list", "query", "scan", "batchget", "partiqlselect"].contains { name.hasPrefix($0) }
            || (service == "sts" && name == "getcalleridentity")
    }

    /// Known actions a pattern matches, `nil` when the service is not modelled.
    public static func matches(_ pattern: String) -> [String]? {
        guard let colon = pattern.firstIndex(of: ":") else { return nil }
        let service = pattern[..<colon].lowercased()
        guard let names = actions[service] else { return nil }
        let glob = Glob(String(pattern[pattern.index(after: colon)...]), lowercased: true)
        return names.filter { glob.matches($0, foldCase: true) }
    }
}
