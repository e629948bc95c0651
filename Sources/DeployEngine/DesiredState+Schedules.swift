import DeployConfig
import JSON

extension DesiredStateBuilder {
    static let cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"
    /// Cloud Scheduler's defaults for HTTP targets, written out so that a job read back
    /// compares equal to the one sent.
    static let defaultRetry = Schedule.Retry(count: 0, maxDuration: 0, minBackoff: 5, maxBackoff: 3600, maxDoublings: 5)
    static let defaultAttemptDeadline = 180

    func scheduleResource(_ schedule: Schedule, of deployment: Deployment, job: JSONObject, in environment: Environment) -> DesiredResource {
        let address = ResourceAddress(environment: environment.name, deployment: deployment.name, schedule: schedule.name)
        let parent = environment.parent
        switch schedule.target {
        case .vertexSchedule:
            return vertexSchedule(schedule, address: address, parent: parent, job: job)
        case .cloudScheduler, .url:
            return schedulerJob(schedule, address: address, parent: parent, job: job, environment: environment)
        }
    }

    /// A Cloud Scheduler job that POSTs the PipelineJob to Vertex AI's regional endpoint (the
    /// real one, whatever endpoint pipespec itself talks to) with an OAuth token, or to the
    /// team's URL with an OIDC token.
    private func schedulerJob(_ schedule: Schedule, address: ResourceAddress, parent: String, job: JSONObject, environment: Environment) -> DesiredResource {
        let name = "\(parent)/jobs/\(address.deployment)-\(schedule.name)"
        var target: JSONObject = [
            "httpMethod": "POST",
            "headers": .object(["Content-Type": "application/json"]),
            "body": .string(Base64.encode(JSONWriter.compactBytes(.object(job)))),
        ]
        switch schedule.target {
        case .url(let url, let audience):
            target["uri"] = .string(url)
            target["oidcToken"] = .object(["serviceAccountEmail": .string(environment.schedulerServiceAccount), "audience": .string(audience)])
        default:
            target["uri"] = .string("https://\(environment.region)-aiplatform.googleapis.com/v1/\(parent)/pipelineJobs")
            target["oauthToken"] = .object(["serviceAccountEmail": .string(environment.schedulerServiceAccount), "scope": .string(Self.cloudPlatformScope)])
        }
        let retry = schedule.retry ?? Self.defaultRetry
        let defaults = Self.defaultRetry
        func duration(_ seconds: Int?, _ fallback: Int?) -> JSONValue { .string("\(seconds ?? fallback ?? 0)s") }
        let marker = Ownership.descriptionMarker(owner: config.owner, address: address)
        let body: JSONObject = [
            "name": .string(name),
            "description": .string(schedule.description.map { "\($0)\n\(marker)" } ?? marker),
            "schedule": .string(schedule.cron),
            "timeZone": .string(schedule.timeZone),
            "httpTarget": .object(target),
            "retryConfig": .object([
                "retryCount": .int(retry.count ?? defaults.count!),
                "maxRetryDuration": duration(retry.maxDuration, defaults.maxDuration),
                "minBackoffDuration": duration(retry.minBackoff, defaults.minBackoff),
                "maxBackoffDuration": duration(retry.maxBackoff, defaults.maxBackoff),
                "maxDoublings": .int(retry.maxDoublings ?? defaults.maxDoublings!),
            ]),
            "attemptDeadline": .string("\(schedule.attemptDeadline ?? Self.defaultAttemptDeadline)s"),
        ]
        var notes: [String] = []
        let size = JSONWriter.compactBytes(.object(body)).count
        if size > 900_000 { notes.append("the job is \(size / 1024) KiB; Cloud Scheduler may refuse jobs near 1 MiB") }
        return DesiredResource(
            address: address, kind: .schedulerJob, scope: ResourceScope(kind: .schedulerJob, path: parent),
            name: name, body: body, paused: schedule.paused, notes: notes
        )
    }

    /// A Vertex AI Schedule creating the PipelineJob. A start time already past is left out:
    /// Vertex AI would otherwise start every run missed since then.
    private func vertexSchedule(_ schedule: Schedule, address: ResourceAddress, parent: String, job: JSONObject) -> DesiredResource {
        var body: JSONObject = [
            "displayName": .string("\(address.deployment)-\(schedule.name)"),
            "cron": .string("TZ=\(schedule.timeZone) \(schedule.cron)"),
            "createPipelineJobRequest": .object(["parent": .string(parent), "pipelineJob": .object(job)]),
            "maxConcurrentRunCount": .string(String(schedule.maxConcurrentRuns)),
        ]
        var notes: [String] = []
        if let start = schedule.startTime {
            if start > now { body["startTime"] = .string(start) } else { notes.append("start_time \(start) is past and is not sent, so that Vertex AI does not catch up on missed runs") }
        }
        if let end = schedule.endTime { body["endTime"] = .string(end) }
        if let maxRuns = schedule.maxRuns { body["maxRunCount"] = .string(String(maxRuns)) }
        // false is the API's default, which it leaves out of what it returns.
        if schedule.allowQueueing == true { body["allowQueueing"] = .bool(true) }
        return DesiredResource(
            address: address, kind: .vertexSchedule, scope: ResourceScope(kind: .vertexSchedule, path: parent),
            name: "\(address.deployment)-\(schedule.name)", body: body, paused: schedule.paused, notes: notes
        )
    }
}
