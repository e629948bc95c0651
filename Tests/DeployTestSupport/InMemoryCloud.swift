import DeployEngine
import JSON
import Synchronization

/// Cloud Storage, Cloud Scheduler and Vertex AI schedules kept in memory, for driving the
/// engine in unit tests: resources keep versions that change on every write, preconditions
/// are enforced, every call is logged, and a call can be made to fail.
public final class InMemoryCloud: Sendable {
    public struct Call: Sendable, Equatable {
        public var service: String
        public var method: String
        public var target: String

        public var isMutating: Bool { method != "list" }
    }

    struct State {
        var objects: [String: StoredObject] = [:]
        var jobs: [String: JSONObject] = [:]
        var schedules: [String: JSONObject] = [:]
        var calls: [Call] = []
        var clock = 0
        var nextScheduleID = 1000
        /// Calls whose `method target` contains the key fail this many more times.
        var failures: [String: Int] = [:]
    }

    let state = Mutex(State())

    public init() {}

    public var calls: [Call] { state.withLock { $0.calls } }
    public var mutatingCalls: [Call] { calls.filter(\.isMutating) }
    public func clearCalls() { state.withLock { $0.calls = [] } }
    public var objects: [String: StoredObject] { state.withLock { $0.objects } }
    public var jobs: [String: JSONObject] { state.withLock { $0.jobs } }
    public var schedules: [String: JSONObject] { state.withLock { $0.schedules } }

    /// Makes the next `times` calls matching `pattern` (`"create "`, `"patch projects/…"`) fail with 503.
    public func fail(_ pattern: String, times: Int) { state.withLock { $0.failures[pattern] = times } }

    /// Adds a job or schedule as another tool would, bypassing the engine.
    public func seedJob(_ job: JSONObject) { state.withLock { $0.jobs[job["name"]!.stringValue!] = job } }

    public func edit(job name: String, _ change: (inout JSONObject) -> Void) {
        state.withLock { state in
            change(&state.jobs[name]!)
            state.clock += 1
            state.jobs[name]!["userUpdateTime"] = .string("t\(state.clock)")
        }
    }

    public var clients: CloudClients {
        CloudClients(storage: Storage(cloud: self), schedulerJobs: Collection(cloud: self, service: "scheduler"), vertexSchedules: Collection(cloud: self, service: "vertex"))
    }

    /// Logs the call and fails it when a failure is pending for it.
    func record(_ service: String, _ method: String, _ target: String) throws(CloudError) {
        let failing = state.withLock { state -> Bool in
            state.calls.append(Call(service: service, method: method, target: target))
            let key = "\(method) \(target)"
            guard let pattern = state.failures.first(where: { $0.value > 0 && key.contains($0.key) })?.key else { return false }
            state.failures[pattern]! -= 1
            return true
        }
        if failing { throw CloudError(status: 503, message: "\(method) \(target): injected failure") }
    }

    struct Storage: ObjectStore {
        let cloud: InMemoryCloud

        func list(bucket: String, prefix: String) throws(CloudError) -> [StoredObject] {
            try cloud.record("storage", "list", "\(bucket)/\(prefix)")
            return cloud.state.withLock { $0.objects.values.filter { $0.bucket == bucket && $0.name.hasPrefix(prefix) }.sorted { $0.name < $1.name } }
        }

        func upload(bucket: String, name: String, bytes: [UInt8], contentType: String, metadata: [String: String], ifGenerationMatch: String) throws(CloudError) -> StoredObject {
            try cloud.record("storage", "upload", "\(bucket)/\(name)")
            return try cloud.state.withLock { state throws(CloudError) -> StoredObject in
                let key = "\(bucket)/\(name)"
                guard (state.objects[key]?.generation ?? "0") == ifGenerationMatch else { throw CloudError(status: 412, message: "precondition failed") }
                state.clock += 1
                let object = StoredObject(bucket: bucket, name: name, generation: String(state.clock), metadata: metadata)
                state.objects[key] = object
                return object
            }
        }

        func delete(bucket: String, name: String, ifGenerationMatch: String) throws(CloudError) {
            try cloud.record("storage", "delete", "\(bucket)/\(name)")
            try cloud.state.withLock { state throws(CloudError) in
                guard state.objects["\(bucket)/\(name)"]?.generation == ifGenerationMatch else { throw CloudError(status: 412, message: "precondition failed") }
                state.objects["\(bucket)/\(name)"] = nil
            }
        }
    }

    struct Collection: ResourceCollection {
        let cloud: InMemoryCloud
        let service: String

        private func withResources<T>(_ body: (inout [String: JSONObject], inout State) throws(CloudError) -> T) throws(CloudError) -> T {
            try cloud.state.withLock { state throws(CloudError) -> T in
                var resources = service == "scheduler" ? state.jobs : state.schedules
                defer { if service == "scheduler" { state.jobs = resources } else { state.schedules = resources } }
                return try body(&resources, &state)
            }
        }

        private var versionKey: String { service == "scheduler" ? "userUpdateTime" : "updateTime" }

        func list(parent: String) throws(CloudError) -> [JSONObject] {
            try cloud.record(service, "list", parent)
            return try withResources { resources, _ in resources.filter { $0.key.hasPrefix(parent + "/") }.sorted { $0.key < $1.key }.map(\.value) }
        }

        func create(parent: String, body: JSONObject) throws(CloudError) -> JSONObject {
            try cloud.record(service, "create", parent)
            return try withResources { resources, state throws(CloudError) in
                var resource = body
                let name: String
                if service == "scheduler" {
                    name = body["name"]!.stringValue!
                    if resources[name] != nil { throw CloudError(status: 409, message: "exists") }
                    resource["state"] = "ENABLED"
                } else {
                    state.nextScheduleID += 1
                    name = "\(parent)/schedules/\(state.nextScheduleID)"
                    resource["name"] = .string(name)
                    resource["state"] = "ACTIVE"
                }
                state.clock += 1
                resource[versionKey] = .string("t\(state.clock)")
                resources[name] = resource
                return resource
            }
        }

        func patch(name: String, body: JSONObject, updateMask: [String]) throws(CloudError) -> JSONObject {
            try cloud.record(service, "patch", name)
            return try withResources { resources, state throws(CloudError) in
                guard var resource = resources[name] else { throw CloudError(status: 404, message: "not found") }
                for field in updateMask {
                    if body[field] == nil, service == "vertex", resource[field] != nil { throw CloudError(status: 400, message: "\(field) cannot be cleared") }
                    resource[field] = body[field]
                }
                state.clock += 1
                resource[versionKey] = .string("t\(state.clock)")
                resources[name] = resource
                return resource
            }
        }

        func delete(name: String) throws(CloudError) {
            try cloud.record(service, "delete", name)
            try withResources { resources, _ throws(CloudError) in
                guard resources.removeValue(forKey: name) != nil else { throw CloudError(status: 404, message: "not found") }
            }
        }

        func pause(name: String) throws(CloudError) { try setState(name, "PAUSED", method: "pause") }

        func resume(name: String) throws(CloudError) { try setState(name, service == "scheduler" ? "ENABLED" : "ACTIVE", method: "resume") }

        private func setState(_ name: String, _ value: String, method: String) throws(CloudError) {
            try cloud.record(service, method, name)
            try withResources { resources, state throws(CloudError) in
                guard resources[name] != nil else { throw CloudError(status: 404, message: "not found") }
                state.clock += 1
                resources[name]!["state"] = .string(value)
                resources[name]![versionKey] = .string("t\(state.clock)")
            }
        }
    }
}
