import Diagnostics
import PipelineConfig
import PipelineIR

/// A pass over the lowered tasks that use the built-in Google Cloud components: what
/// Dataproc and Vertex AI would reject at run time, found at compile time, in the arguments
/// as written. Parts of a value that are only known at run time (params, task outputs) are
/// skipped; run-time values with a known shape, such as the 36-character
/// `${pipeline.job_id}`, are counted in.
struct GoogleCloudChecks {
    let tasks: [TaskIR]
    let groups: [GroupIR]
    let components: [ComponentDefinition]
    /// The arguments each task's inputs were bound from, defaults merged in.
    let arguments: [TaskID: [Argument]]
    /// The settings of the components run as custom jobs.
    let customJobs: [CustomJobConfig]
    let diagnostics: DiagnosticEngine

    func check() {
        for task in tasks.ids {
            let component = components[tasks[task].component]
            // A component run as a custom job takes the launcher's Vertex AI inputs beside
            // its own, which are its business.
            if case .customJob(let job) = component.executor {
                check((arguments[task] ?? []).filter { job.launcherInputs.contains($0.name.value) }, family: "vertex")
            } else {
                check(arguments[task] ?? [], family: BuiltinComponents.family(component.reference))
            }
        }
        for job in customJobs { check(job.settings, family: "vertex") }
        checkBatchIDsDiffer()
    }

    private static let dataprocFileInputs: [String: String?] = [
        "main_python_file_uri": ".py", "main_r_file_uri": nil, "main_jar_file_uri": ".jar", "query_file_uri": nil,
    ]
    private static let dataprocFileListInputs: Set<String> = ["python_file_uris", "jar_file_uris", "file_uris", "archive_uris"]
    private static let displayNameInputs: Set<String> = ["display_name", "job_display_name", "deployed_model_display_name"]
    private static let families: Set<String> = ["bigquery", "dataflow", "dataproc", "vertex"]

    private func check(_ arguments: [Argument], family: String?) {
        guard let family, Self.families.contains(family) else { return }
        for argument in arguments {
            let value = argument.value
            let name = argument.name.value
            switch (family, name) {
            case ("dataproc", "batch_id"):
                if case .string(let template) = value.content { checkBatchID(template) }
            case ("dataproc", let name) where Self.dataprocFileInputs.keys.contains(name):
                if case .string(let template) = value.content {
                    checkFileURI(template, input: name, suffix: Self.dataprocFileInputs[name]!)
                }
            case ("dataproc", let name) where Self.dataprocFileListInputs.contains(name):
                for case .string(let template) in (value.listItems ?? []).map(\.content) {
                    checkFileURI(template, input: name, suffix: nil)
                }
            case (_, "labels"):
                checkLabels(value, limit: family == "dataproc" ? 32 : 64)
            case (_, "location"):
                if case .string(let template) = value.content { checkLocation(template, allowsMultiRegions: family == "bigquery") }
            case (_, let name) where Self.machineTypeInputs.contains(name):
                if case .string(let template) = value.content { checkMachineType(template, input: name) }
            case (_, let name) where Self.acceleratorInputs.contains(where: { $0.type == name }):
                if case .string(let template) = value.content { checkAcceleratorType(template, input: name) }
            case ("vertex", "network"):
                if case .string(let template) = value.content { checkNetwork(template) }
            case ("vertex", "bq_source"):
                if case .string(let template) = value.content { checkBigQueryURI(template) }
            case ("vertex", "gcs_source"):
                if case .string(let template) = value.content { checkFileURI(template, input: "gcs_source", suffix: nil) }
            case ("vertex", let name) where Self.displayNameInputs.contains(name):
                if case .string(let template) = value.content, let length = StaticShape(template).exactLength, length > 128 {
                    diagnostics.error(.displayNameTooLong, "\(name) is \(length) characters; Vertex AI allows at most 128", at: template.location)
                }
            default:
                continue
            }
        }
        checkAcceleratorCounts(arguments)
        checkReplicaCounts(arguments)
    }

    // MARK: Batch IDs

    /// Dataproc batch IDs are 4 to 63 characters of `[a-z0-9-]`, unique in the project.
    private func checkBatchID(_ template: Template) {
        let shape = StaticShape(template)
        if let bad = shape.text.first(where: { !($0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-")) }) {
            diagnostics.error(.invalidBatchId, "batch_id may contain only lowercase letters, digits and hyphens; '\(bad)' is not allowed", at: template.location)
        }
        for value in shape.runtimeValues where !value.shape.isLowercaseNameSafe {
            diagnostics.error(.invalidBatchId, "batch_id uses '${\(value.rawValue)}', whose value has characters a batch ID cannot contain", at: template.location)
        }
        if shape.minimumLength > 63 {
            let substituted = shape.runtimeValues.compactMap { value in value.shape.length.map { "${\(value.rawValue)} is \($0) characters" } }
            let detail = substituted.isEmpty ? "" : " once run-time values are filled in (\(substituted.joined(separator: ", ")))"
            diagnostics.error(.invalidBatchId, "batch_id is at least \(shape.minimumLength) characters\(detail); Dataproc allows at most 63", at: template.location)
        } else if let length = shape.exactLength, length < 4 {
            diagnostics.error(.invalidBatchId, "batch_id is \(length) characters; Dataproc requires at least 4", at: template.location)
        }
        if shape.isSameOnEveryRun {
            diagnostics.warning(.constantBatchId, "batch_id is the same on every run, and Dataproc rejects a batch ID that already exists; add ${pipeline.job_id}", at: template.location)
        }
    }

    // MARK: URIs

    /// Dataproc reads `gs://`, `hdfs://` and `file://` URIs; a bucket name has 3 to 63
    /// characters of `[a-z0-9._-]`.
    private func checkFileURI(_ template: Template, input: String, suffix: String?) {
        let shape = StaticShape(template)
        if let prefix = shape.leadingText, !prefix.isEmpty {
            guard let schemeEnd = prefix.firstRange(of: "://") else {
                if shape.exactLength != nil || prefix.contains("/") {
                    let shown = shape.exactLength == nil ? prefix + "…" : prefix
                    diagnostics.error(.invalidUri, "\(input) must be a URI such as gs://BUCKET/PATH, got '\(shown)'", at: template.location)
                }
                return
            }
            let scheme = prefix[..<schemeEnd.lowerBound]
            guard ["gs", "hdfs", "file"].contains(scheme) else {
                diagnostics.error(.invalidUri, "\(input) has scheme '\(scheme)://'; expected gs://, hdfs:// or file://", at: template.location)
                return
            }
            if scheme == "gs" { checkBucket(prefix[schemeEnd.upperBound...], shape: shape, input: input, template: template) }
        }
        if let suffix, let trailing = shape.trailingText, !trailing.hasSuffix(suffix) {
            diagnostics.error(.invalidUri, "\(input) must name a \(suffix) file", at: template.location)
        }
    }

    /// Bucket names: 3 to 63 characters of `[a-z0-9._-]`, or up to 222 when dotted with no
    /// part over 63.
    private func checkBucket(_ afterScheme: Substring, shape: StaticShape, input: String, template: Template) {
        let slash = afterScheme.firstIndex(of: "/")
        let bucket = afterScheme[..<(slash ?? afterScheme.endIndex)]
        let isWholeBucket = slash != nil || shape.exactLength != nil
        let validCharacters = bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
        let validLength = bucket.contains(".")
            ? bucket.count <= 222 && bucket.split(separator: ".").allSatisfy { $0.count <= 63 }
            : (3...63).contains(bucket.count)
        if !validCharacters || (isWholeBucket && !validLength) {
            diagnostics.error(.invalidUri, "'\(bucket)' is not a valid bucket name (3 to 63 lowercase letters, digits, '.', '_' or '-'; up to 222 with dots, 63 between them)", at: template.location)
        } else if shape.exactLength != nil, slash == nil || afterScheme[slash!...].count <= 1 {
            diagnostics.error(.invalidUri, "\(input) names the bucket gs://\(bucket) but no file in it", at: template.location)
        }
    }

    /// `bq://PROJECT.DATASET.TABLE`. A run-time value may stand for any text, dots
    /// included, so only what is written after the last one is checked: the value is wrong
    /// only when no run-time value could make it right.
    private func checkBigQueryURI(_ template: Template) {
        let shape = StaticShape(template)
        if let prefix = shape.leadingText, !prefix.isEmpty, !"bq://".hasPrefix(prefix), !prefix.hasPrefix("bq://") {
            diagnostics.error(.invalidBigqueryUri, "bq_source must be a BigQuery URI such as bq://PROJECT.DATASET.TABLE", at: template.location)
            return
        }
        guard shape.leadingText?.hasPrefix("bq://") == true else { return }
        let rest = shape.textWithHoles.dropFirst("bq://".count)
        let known = rest.lastIndex(of: StaticShape.hole).map { rest[rest.index(after: $0)...] } ?? rest
        let parts = known.split(separator: ".", omittingEmptySubsequences: false)
        let isWhole = known.startIndex == rest.startIndex
        guard isWhole || parts.count >= 3 else { return }
        let (dataset, table) = parts.count >= 3 ? (parts[parts.count - 2], parts[parts.count - 1]) : ("", "")
        let projectIsEmpty = isWhole && parts.count >= 3 && parts.dropLast(2).joined(separator: ".").isEmpty
        if dataset.isEmpty || table.isEmpty || projectIsEmpty
            || !dataset.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
            diagnostics.error(.invalidBigqueryUri, "bq_source must have the form bq://PROJECT.DATASET.TABLE (dataset names use letters, digits and '_')", at: template.location)
        }
    }

    // MARK: Labels

    /// Keys: 1 to 63 characters, lowercase letter first, then `[a-z0-9_-]`; values: at most
    /// 63 characters of `[a-z0-9_-]`.
    private func checkLabels(_ value: Value, limit: Int) {
        guard case .map(let entries) = value.content else { return }
        if entries.count > limit {
            diagnostics.error(.invalidLabel, "\(entries.count) labels; at most \(limit) are allowed", at: value.location)
        }
        for (key, labelValue) in entries {
            let keyIsValid = (1...63).contains(key.value.count) && key.value.first!.isLowercase
                && key.value.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }
            if !keyIsValid {
                diagnostics.error(.invalidLabel, "label key '\(key.value)' must start with a lowercase letter and have at most 63 lowercase letters, digits, '_' or '-'", at: key.location)
            }
            switch labelValue.content {
            case .string(let template):
                let shape = StaticShape(template)
                let valid = shape.text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }
                if !valid || shape.minimumLength > 63 {
                    diagnostics.error(.invalidLabel, "label value of '\(key.value)' may have at most 63 lowercase letters, digits, '_' or '-'", at: labelValue.location)
                }
            default:
                diagnostics.error(.invalidLabel, "label values are strings; write the value of '\(key.value)' in quotes", at: labelValue.location)
            }
        }
    }
}

/// What a template is known to look like before run time.
struct StaticShape {
    /// Stands in for a part only known at run time.
    static let hole: Character = "\u{FFFC}"

    /// The literal text, references left out.
    var text = ""
    /// The text with each reference replaced by `hole`.
    var textWithHoles = ""
    var minimumLength = 0
    var hasUnknownLength = false
    var runtimeValues: [RuntimeValue] = []
    var readsRunData = false
    let leadingText: String?
    let trailingText: String?

    init(_ template: Template) {
        if case .text(let first)? = template.segments.first { leadingText = first } else { leadingText = template.segments.isEmpty ? "" : nil }
        if case .text(let last)? = template.segments.last { trailingText = last } else { trailingText = template.segments.isEmpty ? "" : nil }
        for segment in template.segments {
            switch segment {
            case .text(let part):
                text += part
                textWithHoles += part
                minimumLength += part.count
            case .reference(let reference, _):
                textWithHoles.append(Self.hole)
                if case .runtime(let value) = reference {
                    runtimeValues.append(value)
                    if let length = value.shape.length { minimumLength += length } else { hasUnknownLength = true }
                } else {
                    hasUnknownLength = true
                    readsRunData = true
                }
            }
        }
    }

    var exactLength: Int? { hasUnknownLength ? nil : minimumLength }

    /// No part changes from one run to the next.
    var isSameOnEveryRun: Bool {
        !readsRunData && !runtimeValues.contains { [.jobID, .jobName, .jobResourceName, .taskID, .createTime, .scheduleTime].contains($0) }
    }
}

extension DiagnosticID {
    static let displayNameTooLong = DiagnosticID("display-name-too-long")
    static let invalidBatchId = DiagnosticID("invalid-batch-id")
    static let constantBatchId = DiagnosticID("constant-batch-id")
    static let invalidUri = DiagnosticID("invalid-uri")
    static let invalidBigqueryUri = DiagnosticID("invalid-bigquery-uri")
    static let invalidLabel = DiagnosticID("invalid-label")
}
