import Diagnostics
import YAML

/// Decodes a schema-checked `pipespec.yaml` into `DeployConfig` and checks what the schema
/// cannot: names that refer to environments, cron expressions, time zones, which settings
/// each target takes, time ranges.
public struct DeployConfigDecoder {
    let diagnostics: DiagnosticEngine
    let timeZones: TimeZones

    public init(diagnostics: DiagnosticEngine, timeZones: TimeZones = TimeZones()) {
        self.diagnostics = diagnostics
        self.timeZones = timeZones
    }

    /// `file` is the config's path; pipeline paths in it are relative to its directory.
    public func decode(_ document: Node, file: String) -> DeployConfig? {
        let errorsBefore = diagnostics.errorCount
        let directory = file.lastIndex(of: "/").map { String(file[...$0]) } ?? ""
        let environments = (document["environments"]?.mapping ?? []).map(environment)
        let names = environments.map(\.name)
        let deployments = (document["deployments"]?.mapping ?? []).map { deployment($0, directory: directory, environments: names) }
        guard diagnostics.errorCount == errorsBefore else { return nil }
        return DeployConfig(file: file, owner: document["owner"]?.string ?? "pipespec", environments: environments, deployments: deployments)
    }

    private func environment(_ entry: MappingEntry) -> Environment {
        let node = entry.value
        let serviceAccount = node["service_account"]?.string ?? ""
        return Environment(
            name: entry.key,
            location: entry.keyLocation,
            project: node["project"]?.string ?? "",
            region: node["location"]?.string ?? "",
            serviceAccount: serviceAccount,
            schedulerServiceAccount: node["scheduler_service_account"]?.string ?? serviceAccount,
            pipelineRoot: node["pipeline_root"]?.string ?? "",
            templates: node["templates"]?.string.flatMap(StoragePrefix.init) ?? StoragePrefix("gs://invalid")!,
            network: node["network"]?.string,
            labels: labels(node["labels"]),
            params: params(node["params"])
        )
    }

    private func deployment(_ entry: MappingEntry, directory: String, environments: [String]) -> Deployment {
        let node = entry.value
        var overrides: [String: Deployment.Override] = [:]
        for override in node["env"]?.mapping ?? [] {
            guard known(override.key, at: override.keyLocation, in: environments) else { continue }
            overrides[override.key] = Deployment.Override(params: params(override.value["params"]), labels: labels(override.value["labels"]))
        }
        let pipeline = node["pipeline"]!
        let path = pipeline.string!
        return Deployment(
            name: entry.key,
            location: entry.keyLocation,
            pipeline: path.hasPrefix("/") ? path : directory + path,
            pipelineLocation: pipeline.location,
            displayName: node["display_name"]?.string,
            params: params(node["params"]),
            labels: labels(node["labels"]),
            overrides: overrides,
            schedules: (node["schedules"]?.mapping ?? []).compactMap { schedule($0, environments: environments) }
        )
    }

    private func schedule(_ entry: MappingEntry, environments: [String]) -> Schedule? {
        let node = entry.value
        var scheduleEnvironments: [String]?
        if let list = node["environments"]?.sequence {
            scheduleEnvironments = list.compactMap { item in
                known(item.string!, at: item.location, in: environments) ? item.string : nil
            }
        }
        let target = self.target(node["target"]!)
        let (cron, zone) = cronAndZone(node)
        checkTargetSettings(node, target: target)
        checkTimeRange(node)
        return Schedule(
            name: entry.key,
            location: entry.keyLocation,
            cron: cron,
            timeZone: zone,
            target: target,
            environments: scheduleEnvironments,
            description: node["description"]?.string,
            paused: node["paused"]?.scalar?.boolValue ?? false,
            startTime: node["start_time"]?.string,
            endTime: node["end_time"]?.string,
            maxRuns: node["max_runs"]?.scalar?.intValue,
            maxConcurrentRuns: node["max_concurrent_runs"]?.scalar?.intValue ?? 1,
            allowQueueing: node["allow_queueing"]?.scalar?.boolValue,
            retry: node["retry"].map(retry),
            attemptDeadline: node["attempt_deadline"].flatMap(attemptDeadline),
            caching: node["caching"]?.scalar?.boolValue,
            labels: labels(node["labels"]),
            params: params(node["params"])
        )
    }

    private func target(_ node: Node) -> Schedule.Target {
        if let name = node.string { return name == "vertex-schedule" ? .vertexSchedule : .cloudScheduler }
        let url = node["url"]!.string!
        return .url(url, audience: node["audience"]?.string ?? url)
    }

    /// The cron without a `TZ=`/`CRON_TZ=` prefix, and the zone from the prefix or `time_zone`.
    private func cronAndZone(_ node: Node) -> (String, String) {
        let cronNode = node["cron"]!
        var cron = cronNode.string!.drop { $0 == " " }
        var prefixZone: String?
        for prefix in ["TZ=", "CRON_TZ="] where cron.hasPrefix(prefix) {
            let zone = cron.dropFirst(prefix.count).prefix { $0 != " " }
            prefixZone = String(zone)
            cron = cron.dropFirst(prefix.count + zone.count).drop { $0 == " " }
        }
        let text = String(cron)
        if let problem = Cron.problem(in: text) { diagnostics.error(.invalidCron, problem, at: cronNode.location) }
        let zoneNode = node["time_zone"]
        if let prefixZone, let zoneNode {
            diagnostics.error(.timeZoneTwice, "the time zone is given twice: TZ=\(prefixZone) in the cron and time_zone \(zoneNode.string!); keep one", at: zoneNode.location)
        }
        let zone = prefixZone ?? zoneNode?.string ?? "UTC"
        switch timeZones.check(zone) {
        case .known: break
        case .unknown:
            let hint = timeZones.closest(to: zone).map { " (did you mean '\($0)'?)" } ?? " (an IANA name such as America/Chicago or Europe/Berlin)"
            diagnostics.error(.unknownTimeZone, "unknown time zone '\(zone)'\(hint)", at: (zoneNode ?? cronNode).location)
        case .uncheckable: diagnostics.warning(.timeZoneUncheckable, "cannot check time zone '\(zone)': this machine has no tz database (install tzdata)", at: (zoneNode ?? cronNode).location)
        }
        return (text, zone)
    }

    private static let vertexOnly = ["start_time", "end_time", "max_runs", "max_concurrent_runs", "allow_queueing"]
    private static let schedulerOnly = ["retry", "attempt_deadline"]

    private func checkTargetSettings(_ node: Node, target: Schedule.Target) {
        let foreign = target.usesCloudScheduler ? Self.vertexOnly : Self.schedulerOnly
        for key in foreign {
            guard let entry = node.entry(key) else { continue }
            let owner = target.usesCloudScheduler ? "a Vertex AI Schedule (target: vertex-schedule)" : "a Cloud Scheduler job"
            diagnostics.error(.settingOfOtherTarget, "'\(key)' is a setting of \(owner); this schedule's target is \(target.name)", at: entry.keyLocation)
        }
    }

    private func checkTimeRange(_ node: Node) {
        // RFC 3339 UTC times of one fixed shape compare as text.
        if let start = node["start_time"]?.string, let end = node["end_time"] {
            if end.string! <= start { diagnostics.error(.endBeforeStart, "end_time \(end.string!) is not after start_time \(start)", at: end.location) }
        }
    }

    private func retry(_ node: Node) -> Schedule.Retry {
        let retry = Schedule.Retry(
            count: node["count"]?.scalar?.intValue,
            maxDuration: node["max_duration"]?.string.flatMap(Self.seconds),
            minBackoff: node["min_backoff"]?.string.flatMap(Self.seconds),
            maxBackoff: node["max_backoff"]?.string.flatMap(Self.seconds),
            maxDoublings: node["max_doublings"]?.scalar?.intValue
        )
        if let minimum = retry.minBackoff, let maximum = retry.maxBackoff, minimum > maximum, let location = node["max_backoff"]?.location {
            diagnostics.error(.backoffOrder, "max_backoff is shorter than min_backoff", at: location)
        }
        return retry
    }

    /// Cloud Scheduler takes 15 seconds to 30 minutes for HTTP targets.
    private func attemptDeadline(_ node: Node) -> Int? {
        guard let seconds = node.string.flatMap(Self.seconds) else { return nil }
        guard (15...1800).contains(seconds) else {
            diagnostics.error(.attemptDeadlineRange, "attempt_deadline must be from 15s to 30m for an HTTP target, got \(node.string!)", at: node.location)
            return nil
        }
        return seconds
    }

    /// `30s`, `5m`, `2h`, `1d` in seconds; the schema has checked the shape.
    static func seconds(_ text: String) -> Int? {
        guard let unit = text.last, let count = Int(text.dropLast()) else { return nil }
        let scale = ["s": 1, "m": 60, "h": 3600, "d": 86_400][String(unit)] ?? 0
        let (product, overflow) = count.multipliedReportingOverflow(by: scale)
        return overflow || scale == 0 ? nil : product
    }

    private func known(_ name: String, at location: SourceLocation, in environments: [String]) -> Bool {
        guard environments.contains(name) else {
            let suggestion = Suggestions.suggestion(for: name, at: location, in: environments)
            diagnostics.error(.unknownEnvironment, "unknown environment '\(name)'\(suggestion.phrase)", at: location, fixIts: suggestion.fixIts)
            return false
        }
        return true
    }

    private func labels(_ node: Node?) -> [Label] {
        (node?.mapping ?? []).map { Label(key: $0.key, value: $0.value.string ?? "") }
    }

    private func params(_ node: Node?) -> [ParamValue] {
        (node?.mapping ?? []).map { ParamValue(name: $0.key, keyLocation: $0.keyLocation, value: $0.value) }
    }
}

extension DiagnosticID {
    static let invalidCron = DiagnosticID("invalid-cron")
    static let timeZoneTwice = DiagnosticID("time-zone-twice")
    static let unknownTimeZone = DiagnosticID("unknown-time-zone")
    static let timeZoneUncheckable = DiagnosticID("time-zone-uncheckable")
    static let settingOfOtherTarget = DiagnosticID("setting-of-other-target")
    static let endBeforeStart = DiagnosticID("end-before-start")
    static let backoffOrder = DiagnosticID("backoff-order")
    static let attemptDeadlineRange = DiagnosticID("attempt-deadline-range")
    public static let unknownEnvironment = DiagnosticID("unknown-environment")
}
