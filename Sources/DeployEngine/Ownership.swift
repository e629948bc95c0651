import JSON

/// How pipespec marks what it creates, and recognizes it again. Nothing without the mark of
/// this configuration's owner is ever changed or deleted.
///
/// - Template objects carry custom metadata (`pipespec-owner`, `pipespec-environment`,
///   `pipespec-deployment`).
/// - Cloud Scheduler jobs have no labels: their description ends with a marker line.
/// - Vertex AI Schedules have no labels either: the runs they create carry labels
///   (`pipespec-owner`, …), which also tell which schedule started a run.
enum Ownership {
    static let ownerKey = "pipespec-owner"
    static let environmentKey = "pipespec-environment"
    static let deploymentKey = "pipespec-deployment"
    static let scheduleKey = "pipespec-schedule"
    static let digestKey = "pipespec-sha256"
    static let summaryKey = "pipespec-summary"

    /// Labels (or metadata) naming the owner and the resource's address.
    static func marks(owner: String, address: ResourceAddress) -> [(String, String)] {
        var marks = [(ownerKey, owner), (environmentKey, address.environment), (deploymentKey, address.deployment)]
        if let schedule = address.schedule { marks.append((scheduleKey, schedule)) }
        return marks
    }

    /// The address recorded in `marks`, when `owner` made the resource.
    static func address(in marks: [String: String], owner: String) -> ResourceAddress? {
        guard marks[ownerKey] == owner, let environment = marks[environmentKey], let deployment = marks[deploymentKey] else { return nil }
        return ResourceAddress(environment: environment, deployment: deployment, schedule: marks[scheduleKey])
    }

    /// The last line of a Cloud Scheduler job's description:
    /// `managed by pipespec (owner O, environment E, deployment D, schedule S)`.
    static func descriptionMarker(owner: String, address: ResourceAddress) -> String {
        "managed by pipespec (" + marks(owner: owner, address: address).map { "\($0.0.dropFirst(9)) \($0.1)" }.joined(separator: ", ") + ")"
    }

    static func address(inDescription description: String, owner: String) -> ResourceAddress? {
        let lastLine = description.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        guard lastLine.hasPrefix("managed by pipespec ("), lastLine.hasSuffix(")") else { return nil }
        var marks: [String: String] = [:]
        for item in lastLine.dropFirst("managed by pipespec (".count).dropLast().split(separator: ",") {
            let pair = item.split(separator: " ")
            guard pair.count == 2 else { return nil }
            marks["pipespec-" + pair[0]] = String(pair[1])
        }
        return address(in: marks, owner: owner)
    }

    static func labels(_ object: JSONObject?) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in object?.members ?? [] {
            if let text = value.stringValue { result[key] = text }
        }
        return result
    }
}
