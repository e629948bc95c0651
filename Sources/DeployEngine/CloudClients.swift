import JSON

/// A failed call to a Google Cloud API. Never holds credentials.
public struct CloudError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status, or `nil` when no response came.
    public var status: Int?
    public var message: String

    public init(status: Int?, message: String) {
        self.status = status
        self.message = message
    }

    public var isNotFound: Bool { status == 404 }
    public var isConflict: Bool { status == 409 }
    public var isPreconditionFailed: Bool { status == 412 }

    public var description: String { message }
}

/// An object in Cloud Storage: its name, generation and custom metadata.
public struct StoredObject: Sendable, Equatable {
    public var bucket: String
    public var name: String
    public var generation: String
    public var metadata: [String: String]

    public init(bucket: String, name: String, generation: String, metadata: [String: String]) {
        self.bucket = bucket
        self.name = name
        self.generation = generation
        self.metadata = metadata
    }
}

/// The Cloud Storage calls the engine makes.
public protocol ObjectStore: Sendable {
    /// Every object whose name starts with `prefix`.
    func list(bucket: String, prefix: String) throws(CloudError) -> [StoredObject]
    /// Writes the object if its generation is still `ifGenerationMatch` (0: it must not exist).
    func upload(bucket: String, name: String, bytes: [UInt8], contentType: String, metadata: [String: String], ifGenerationMatch: String) throws(CloudError) -> StoredObject
    func delete(bucket: String, name: String, ifGenerationMatch: String) throws(CloudError)
}

/// The calls the engine makes on a REST collection of Cloud Scheduler jobs or Vertex AI
/// schedules, with bodies in the APIs' JSON form.
public protocol ResourceCollection: Sendable {
    /// Every resource under `parent` (`projects/P/locations/L`).
    func list(parent: String) throws(CloudError) -> [JSONObject]
    func create(parent: String, body: JSONObject) throws(CloudError) -> JSONObject
    func patch(name: String, body: JSONObject, updateMask: [String]) throws(CloudError) -> JSONObject
    func delete(name: String) throws(CloudError)
    func pause(name: String) throws(CloudError)
    func resume(name: String) throws(CloudError)
}

extension ResourceCollection {
    /// Deletes `name`; one already gone counts as deleted (a retried delete went through).
    func deleteIfPresent(_ name: String) throws(CloudError) {
        do { try delete(name: name) } catch where error.isNotFound {}
    }

    func setPaused(_ paused: Bool, name: String) throws(CloudError) {
        if paused { try pause(name: name) } else { try resume(name: name) }
    }
}

/// Vertex AI `pipelineJobs.create`.
public protocol PipelineJobSubmitter: Sendable {
    func submit(parent: String, job: JSONObject) throws(CloudError) -> JSONObject
}

/// Everything the engine talks to.
public struct CloudClients: Sendable {
    public var storage: any ObjectStore
    public var schedulerJobs: any ResourceCollection
    public var vertexSchedules: any ResourceCollection

    public init(storage: any ObjectStore, schedulerJobs: any ResourceCollection, vertexSchedules: any ResourceCollection) {
        self.storage = storage
        self.schedulerJobs = schedulerJobs
        self.vertexSchedules = vertexSchedules
    }
}
